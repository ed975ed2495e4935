package dev.chatwire.mongo;

import com.mongodb.client.MongoDatabase;
import dev.chatwire.core.contract.ReadStateStoreContract;
import dev.chatwire.core.spi.ReadStateStore;
import org.junit.jupiter.api.extension.RegisterExtension;

class MongoReadStateStoreTest extends ReadStateStoreContract {

    @RegisterExtension
    static final TestMongo mongo = new TestMongo();

    private MongoDatabase database;

    @Override
    protected ReadStateStore newStore() {
        database = mongo.newDatabase();
        return MongoReadStateStore.create(database);
    }

    @Override
    protected ReadStateStore sameDataOnAnotherNode(ReadStateStore store) {
        return MongoReadStateStore.create(database);
    }
}
