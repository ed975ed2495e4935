package dev.chatwire.core.memory;

import dev.chatwire.core.contract.MessageTimelineContract;
import dev.chatwire.core.spi.MessageStore;

class InMemoryMessageTimelineTest extends MessageTimelineContract {

    @Override
    protected MessageStore newStore() {
        return new InMemoryMessageStore();
    }
}
