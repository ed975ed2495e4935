package dev.chatwire.core.memory;

import dev.chatwire.core.contract.ReadStateStoreContract;
import dev.chatwire.core.spi.ReadStateStore;

class InMemoryReadStateStoreTest extends ReadStateStoreContract {

    @Override
    protected ReadStateStore newStore() {
        return new InMemoryReadStateStore();
    }
}
