package dev.chatwire.core.memory;

import dev.chatwire.core.contract.ChatStoreContract;
import dev.chatwire.core.spi.ChatStore;

class InMemoryChatStoreTest extends ChatStoreContract {

    @Override
    protected ChatStore newStore() {
        return new InMemoryChatStore();
    }
}
