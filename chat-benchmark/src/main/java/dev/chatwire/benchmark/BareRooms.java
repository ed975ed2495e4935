package dev.chatwire.benchmark;

import com.auth0.jwt.JWT;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything the bare server knows: the sockets of each user, the chats of each user, and the sockets and seq of each
 * room. It checks nothing, stores no message, and serializes each published message once: every socket of the room
 * gets the same {@code new_message} text. Thread-safe; a room assigns its seqs and queues their frames under its own
 * lock, so that they leave in order as Chatwire's do, and the frames go to the container after the lock is released.
 */
class BareRooms {

    final ObjectMapper mapper = new ObjectMapper().setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);
    private final Map<String, Room> rooms = new ConcurrentHashMap<>();
    private final Map<String, Set<BareSocket>> socketsByUser = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> chatsByUser = new ConcurrentHashMap<>();
    private final AtomicLong messageIds = new AtomicLong();
    private final String idPrefix = UUID.randomUUID().toString().substring(0, 24);

    /** One chat: the sockets that receive it, and its last seq (guarded by the room). */
    private static final class Room {
        final Set<BareSocket> sockets = ConcurrentHashMap.newKeySet();
        long seq;
    }

    /** A message on the wire, with Chatwire's field names and order. */
    @JsonPropertyOrder({"id", "chatId", "seq", "senderId", "type", "text", "clientMessageId", "createdAt"})
    record WireMessage(String id, String chatId, long seq, String senderId, String type, String text,
                       String clientMessageId, String createdAt) {
    }

    @JsonPropertyOrder({"id", "participants", "name", "createdAt"})
    private record WireChat(String id, Set<String> participants, String name, String createdAt) {
    }

    @JsonPropertyOrder({"type", "userId", "connectionId", "chats", "seqs"})
    private record Connected(String type, String userId, String connectionId, Set<String> chats,
                             Map<String, Long> seqs) {
    }

    /** Handles one text frame of a socket: {@code connect} and {@code send}; anything else is ignored. */
    void onText(BareSocket socket, String text) {
        JsonNode frame;
        try {
            frame = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            return;
        }
        String type = frame.path("type").asText("");
        if (type.equals("connect")) {
            connect(socket, subject(frame.path("token").asText(null)));
        } else if (type.equals("send") && socket.userId != null) {
            publish(frame.path("chatId").asText(""), socket.userId, frame.path("text").asText(""),
                    frame.path("clientMessageId").asText(null), socket);
        }
    }

    private void connect(BareSocket socket, String userId) {
        if (userId == null) {
            return;
        }
        socket.userId = userId;
        socketsByUser.computeIfAbsent(userId, id -> ConcurrentHashMap.newKeySet()).add(socket);
        Map<String, Long> seqs = new LinkedHashMap<>();
        for (String chatId : chatsByUser.getOrDefault(userId, Set.of())) {
            Room room = rooms.get(chatId);
            room.sockets.add(socket);
            synchronized (room) {
                seqs.put(chatId, room.seq);
            }
        }
        socket.send(json(new Connected("connected", userId, socket.id, seqs.keySet(), seqs)));
    }

    void disconnect(BareSocket socket) {
        String userId = socket.userId;
        if (userId != null) {
            socketsByUser.getOrDefault(userId, Set.of()).remove(socket);
            chatsByUser.getOrDefault(userId, Set.of()).forEach(chatId -> rooms.get(chatId).sockets.remove(socket));
        }
    }

    /** Creates a room, whose participants' live sockets join it and get {@code chat_joined}; returns the chat JSON. */
    String createChat(String creator, List<String> participants, String name) {
        Set<String> members = new LinkedHashSet<>();
        members.add(creator);
        members.addAll(participants);
        String id = UUID.randomUUID().toString();
        String chatJson = json(new WireChat(id, members, name, Instant.now().toString()));
        Room room = new Room();
        rooms.put(id, room);
        String joined = "{\"type\":\"chat_joined\",\"chatId\":\"" + id + "\",\"chat\":" + chatJson + ",\"seq\":0}";
        for (String member : members) {
            chatsByUser.computeIfAbsent(member, user -> ConcurrentHashMap.newKeySet()).add(id);
            for (BareSocket socket : socketsByUser.getOrDefault(member, Set.of())) {
                if (room.sockets.add(socket)) {
                    socket.send(joined);
                }
            }
        }
        return chatJson;
    }

    /**
     * Assigns the next seq, serializes the message once, and under the room's lock queues its ack to {@code ackTo} (if
     * given) and the same {@code new_message} text for every socket of the room; hands the queues to the container
     * once the lock is released. Returns the message JSON, or null when there is no such room.
     */
    String publish(String chatId, String senderId, String text, String clientMessageId, BareSocket ackTo) {
        Room room = rooms.get(chatId);
        if (room == null) {
            return null;
        }
        List<BareSocket> toFlush = new ArrayList<>();
        String message;
        synchronized (room) {
            String id = idPrefix + HexFormat.of().toHexDigits(messageIds.incrementAndGet()).substring(4);
            message = json(new WireMessage(id, chatId, ++room.seq, senderId, "text", text, clientMessageId,
                    Instant.now().toString()));
            if (ackTo != null && ackTo.enqueue("{\"type\":\"ack\",\"clientMessageId\":" + json(clientMessageId)
                    + ",\"message\":" + message + "}")) {
                toFlush.add(ackTo);
            }
            String frame = "{\"type\":\"new_message\",\"message\":" + message + "}";
            for (BareSocket socket : room.sockets) {
                if (deliver(socket, frame)) {
                    toFlush.add(socket);
                }
            }
        }
        toFlush.forEach(BareSocket::flush);
        return message;
    }

    /** Queues a {@code new_message} frame, true if the socket must be flushed; tests lose or repeat frames here. */
    boolean deliver(BareSocket socket, String frame) {
        return socket.enqueue(frame);
    }

    /** The {@code sub} claim of a JWT, read without checking its signature (the bare server trusts all), or null. */
    static String subject(String token) {
        try {
            return token == null ? null : JWT.decode(token).getSubject();
        } catch (JWTDecodeException e) {
            return null;
        }
    }

    String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
