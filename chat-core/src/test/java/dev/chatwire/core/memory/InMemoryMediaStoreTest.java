package dev.chatwire.core.memory;

import dev.chatwire.core.contract.MediaStoreContract;
import dev.chatwire.core.spi.MediaStore;

class InMemoryMediaStoreTest extends MediaStoreContract {

    @Override
    protected MediaStore newStore() {
        return new InMemoryMediaStore();
    }
}
