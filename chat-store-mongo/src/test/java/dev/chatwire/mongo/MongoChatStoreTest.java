package dev.chatwire.mongo;

import dev.chatwire.core.contract.ChatStoreContract;
import dev.chatwire.core.spi.ChatStore;
import org.junit.jupiter.api.extension.RegisterExtension;

class MongoChatStoreTest extends ChatStoreContract {

    @RegisterExtension
    static final TestMongo mongo = new TestMongo();

    @Override
    protected ChatStore newStore() {
        return MongoChatStore.create(mongo.newDatabase());
    }
}
