package dev.chatwire.mongo;

import dev.chatwire.core.contract.MessageStoreContract;
import dev.chatwire.core.spi.MessageStore;
import org.junit.jupiter.api.extension.RegisterExtension;

class MongoMessageStoreTest extends MessageStoreContract {

    @RegisterExtension
    static final TestMongo mongo = new TestMongo();

    @Override
    protected MessageStore newStore() {
        return MongoMessageStore.create(mongo.newDatabase());
    }
}
