package dev.chatwire.core.memory;

import dev.chatwire.core.contract.MessageStoreContract;
import dev.chatwire.core.spi.MessageStore;

class InMemoryMessageStoreTest extends MessageStoreContract {

    @Override
    protected MessageStore newStore() {
        return new InMemoryMessageStore();
    }
}
