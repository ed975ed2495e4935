package dev.chatwire.core.memory;

import dev.chatwire.core.contract.PresenceRegistryContract;
import dev.chatwire.core.spi.PresenceRegistry;

class InMemoryPresenceRegistryTest extends PresenceRegistryContract {

    @Override
    protected PresenceRegistry newRegistry() {
        return new InMemoryPresenceRegistry();
    }
}
