package dev.chatwire.benchmark;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
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
 * Everything the bare server knows: the sockets of each user, the participants and sockets of each room, and each
 * room's seq. It checks nothing, stores no message, and serializes each published message once: every socket of the
 * room gets the same pre-serialized {@code new_message} text. Thread-safe; a room publishes under its own lock so that
 * its seqs leave in order, as Chatwire's do.
 */
class BareRooms {

    private final ObjectMapper mapper = new ObjectMapper().setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);
    private final Map<String, Room> rooms = new ConcurrentHashMap<>();
    private final Map<String, Set<BareSocket>> socketsByUser = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> chatsByUser = new ConcurrentHashMap<>();
    private final AtomicLong messageIds = new AtomicLong();
    private final String idPrefix = UUID.randomUUID().toString().substring(0, 24);

    /** One chat: who takes part, which sockets receive it, and its last seq (guarded by the room). */
    private static final class Room {
        final String id;
        final Set<BareSocket> sockets = ConcurrentHashMap.newKeySet();
        long seq;

        Room(String id) {
            this.id = id;
        }
    }

    /** A message on the wire, with Chatwire's field names and order. */
    @JsonPropertyOrder({"id", "chatId", "seq", "senderId", "type", "text", "clientMessageId", "createdAt"})
    record WireMessage(String id, String chatId, long seq, String senderId, String type, String text,
                       String clientMessageId, String createdAt) {
    }

    /** A chat on the wire. */
    @JsonPropertyOrder({"id", "participants", "name", "createdAt"})
    record WireChat(String id, Set<String> participants, String name, String createdAt) {
    }

    /** The socket queues a publish on this thread filled under the room's lock, to hand over after it. */
    private final ThreadLocal<List<SocketQueue>> heldQueues = new ThreadLocal<>();

    ObjectMapper mapper() {
        return mapper;
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
        } else if (type.equals("send") && socket.userId() != null) {
            publish(frame.path("chatId").asText(""), socket.userId(), frame.path("text").asText(""),
                    frame.path("clientMessageId").asText(null), socket);
        }
    }

    private void connect(BareSocket socket, String userId) {
        if (userId == null) {
            return;
        }
        socket.userId(userId);
        socketsByUser.computeIfAbsent(userId, id -> ConcurrentHashMap.newKeySet()).add(socket);
        List<String> chats = new ArrayList<>();
        Map<String, Long> seqs = new LinkedHashMap<>();
        for (String chatId : chatsByUser.getOrDefault(userId, Set.of())) {
            Room room = rooms.get(chatId);
            if (room != null) {
                room.sockets.add(socket);
                chats.add(chatId);
                synchronized (room) {
                    seqs.put(chatId, room.seq);
                }
            }
        }
        Map<String, Object> connected = new LinkedHashMap<>();
        connected.put("type", "connected");
        connected.put("userId", userId);
        connected.put("connectionId", socket.id());
        connected.put("chats", chats);
        connected.put("seqs", seqs);
        send(socket, json(connected));
    }

    /** Forgets a closed socket. */
    void disconnect(BareSocket socket) {
        String userId = socket.userId();
        if (userId == null) {
            return;
        }
        Set<BareSocket> sockets = socketsByUser.get(userId);
        if (sockets != null) {
            sockets.remove(socket);
        }
        for (String chatId : chatsByUser.getOrDefault(userId, Set.of())) {
            Room room = rooms.get(chatId);
            if (room != null) {
                room.sockets.remove(socket);
            }
        }
    }

    /**
     * Creates a room; the live sockets of its participants join it and get {@code chat_joined}.
     *
     * @return the chat as JSON
     */
    String createChat(String creator, List<String> participants, String name) {
        Set<String> members = new LinkedHashSet<>();
        members.add(creator);
        members.addAll(participants);
        String id = UUID.randomUUID().toString();
        String chatJson = json(new WireChat(id, members, name, Instant.now().toString()));
        Room room = new Room(id);
        rooms.put(id, room);
        String joined = "{\"type\":\"chat_joined\",\"chatId\":\"" + id + "\",\"chat\":" + chatJson + ",\"seq\":0}";
        for (String member : members) {
            chatsByUser.computeIfAbsent(member, user -> ConcurrentHashMap.newKeySet()).add(id);
            for (BareSocket socket : socketsByUser.getOrDefault(member, Set.of())) {
                if (room.sockets.add(socket)) {
                    send(socket, joined);
                }
            }
        }
        return chatJson;
    }

    /**
     * Assigns the next seq, serializes the message once, acks it to {@code ackTo} if given, and sends the same text to
     * every socket of the room.
     *
     * @return the message as JSON, or null when there is no such room
     */
    String publish(String chatId, String senderId, String text, String clientMessageId, BareSocket ackTo) {
        Room room = rooms.get(chatId);
        if (room == null) {
            return null;
        }
        List<SocketQueue> held = new ArrayList<>();
        heldQueues.set(held);
        try {
            return publishLocked(room, senderId, text, clientMessageId, ackTo);
        } finally {
            heldQueues.remove();
            held.forEach(SocketQueue::start);
        }
    }

    private String publishLocked(Room room, String senderId, String text, String clientMessageId,
                                 BareSocket ackTo) {
        synchronized (room) {
            long seq = ++room.seq;
            String id = idPrefix + HexFormat.of().toHexDigits(messageIds.incrementAndGet()).substring(4);
            String message = json(new WireMessage(id, room.id, seq, senderId, "text", text, clientMessageId,
                    Instant.now().toString()));
            if (ackTo != null) {
                send(ackTo, "{\"type\":\"ack\",\"clientMessageId\":" + json(clientMessageId) + ",\"message\":"
                        + message + "}");
            }
            String frame = "{\"type\":\"new_message\",\"message\":" + message + "}";
            for (BareSocket socket : room.sockets) {
                deliver(socket, frame);
            }
            return message;
        }
    }

    /** Sends a {@code new_message} frame to one socket of a room; tests override it to lose messages. */
    void deliver(BareSocket socket, String frame) {
        send(socket, frame);
    }

    /**
     * Queues a frame on the socket's queue. Under a room's lock ({@link #publish}) it only queues, and the queue is
     * handed to the container once the lock is released; otherwise at once. Queue order keeps each socket's frames in
     * seq order while sockets are written in parallel.
     */
    private void send(BareSocket socket, String text) {
        SocketQueue queue;
        synchronized (socket) {
            queue = (SocketQueue) socket.attachment();
            if (queue == null) {
                queue = new SocketQueue(socket);
                socket.attachment(queue);
            }
        }
        queue.send(text, heldQueues.get());
    }

    /** One socket's frames in order, handed to the container by one thread at a time, without waiting for writes. */
    private static final class SocketQueue {
        private final BareSocket socket;
        private final ArrayDeque<String> queue = new ArrayDeque<>();
        private boolean handing;

        SocketQueue(BareSocket socket) {
            this.socket = socket;
        }

        /** Queues a frame; with {@code held} (a publish under a room's lock) it only queues, and joins it. */
        void send(String text, List<SocketQueue> held) {
            synchronized (this) {
                queue.add(text);
                if (handing) {
                    return;
                }
                handing = true;
                if (held != null) {
                    held.add(this);
                    return;
                }
            }
            start();
        }

        /** Hands every queued frame to the container, in order. */
        void start() {
            while (true) {
                String next;
                synchronized (this) {
                    next = queue.poll();
                    if (next == null) {
                        handing = false;
                        return;
                    }
                }
                socket.send(next);
            }
        }
    }

    /** The {@code sub} claim of a JWT, read without checking its signature (the bare server trusts all), or null. */
    String subject(String token) {
        String[] parts = token == null ? new String[0] : token.split("\\.");
        try {
            JsonNode sub = parts.length < 2 ? null
                    : mapper.readTree(Base64.getUrlDecoder().decode(parts[1])).get("sub");
            return sub != null && sub.isTextual() ? sub.textValue() : null;
        } catch (IllegalArgumentException | IOException e) {
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
