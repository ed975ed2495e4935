package dev.chatwire.spring;

import dev.chatwire.core.ChatEngine;
import dev.chatwire.core.ChatEngineBuilder;
import dev.chatwire.core.spi.ChatStore;
import dev.chatwire.core.spi.MediaStore;
import dev.chatwire.core.spi.MessageStore;
import dev.chatwire.core.spi.PresenceRegistry;
import dev.chatwire.core.spi.ReadStateStore;
import dev.chatwire.core.spi.RoomBroadcaster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/** Puts the SPI beans there are into the engine, fills the gaps with the in-memory adapters, and says so. */
final class EngineAssembly {

    private static final Logger LOG = LoggerFactory.getLogger(EngineAssembly.class);

    private EngineAssembly() {
    }

    static ChatEngine assemble(ChatEngineBuilder builder, MessageStore messages, ChatStore chats,
                               ReadStateStore readStates, MediaStore media, PresenceRegistry presence,
                               RoomBroadcaster rooms) {
        List<String> inMemory = new ArrayList<>();
        if (messages != null) {
            builder.messageStore(messages);
        } else {
            inMemory.add("MessageStore");
        }
        if (chats != null) {
            builder.chatStore(chats);
        } else {
            inMemory.add("ChatStore");
        }
        if (readStates != null) {
            builder.readStateStore(readStates);
        } else {
            inMemory.add("ReadStateStore");
        }
        if (media != null) {
            builder.mediaStore(media);
        } else {
            inMemory.add("MediaStore");
        }
        if (presence != null) {
            builder.presenceRegistry(presence);
        } else {
            inMemory.add("PresenceRegistry");
        }
        if (rooms != null) {
            builder.roomBroadcaster(rooms);
        } else {
            inMemory.add("RoomBroadcaster");
        }
        if (!inMemory.isEmpty()) {
            LOG.warn("Chatwire runs {} in memory: a single node that forgets everything on restart. Add "
                    + "chat-store-mongo with a MongoClient or MongoDatabase bean, chat-presence-redis with a "
                    + "UnifiedJedis bean, or beans of your own", inMemory);
        }
        return builder.inMemory().build();
    }
}
