package dev.chatwire.core.memory;

import dev.chatwire.core.contract.RoomBroadcasterContract;
import dev.chatwire.core.spi.RoomBroadcaster;

import java.util.Collections;
import java.util.List;

class InMemoryRoomBroadcasterTest extends RoomBroadcasterContract {

    @Override
    protected List<RoomBroadcaster> newNodes(int count) {
        return Collections.nCopies(count, new InMemoryRoomBroadcaster());
    }

    @Override
    protected void breakBackendLinks(List<RoomBroadcaster> nodes) {
        // In one JVM there is no link to break.
    }
}
