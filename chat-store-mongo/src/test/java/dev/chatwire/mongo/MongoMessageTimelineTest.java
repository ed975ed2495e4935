package dev.chatwire.mongo;

import com.mongodb.client.MongoDatabase;
import dev.chatwire.core.contract.MessageTimelineContract;
import dev.chatwire.core.spi.MessageStore;
import org.junit.jupiter.api.extension.RegisterExtension;

class MongoMessageTimelineTest extends MessageTimelineContract {

    @RegisterExtension
    static final TestMongo mongo = new TestMongo();

    private MongoDatabase database;

    @Override
    protected MessageStore newStore() {
        database = mongo.newDatabase();
        return MongoMessageStore.create(database);
    }

    @Override
    protected MessageStore sameDataOnAnotherNode(MessageStore store) {
        return MongoMessageStore.create(database);
    }
}
