package dev.chatwire.redis;

import dev.chatwire.core.spi.RoomEvent;

import java.util.Objects;

/**
 * A {@link RoomEvent} as published on a room channel, with the id of the node that published it.
 *
 * <p>The text is one header line, then the fields back to back with no separator:
 * <pre>
 * cw1 &lt;nodeId length&gt; &lt;type length&gt; &lt;chatId length, or -1 for null&gt; &lt;seq&gt;\n
 * &lt;nodeId&gt;&lt;type&gt;&lt;chatId&gt;&lt;frame&gt;
 * </pre>
 * Lengths count UTF-16 chars of the decoded text, so no field is escaped and the frame, the JSON every client receives,
 * travels verbatim, whatever it contains.
 *
 * @param nodeId the publishing node
 * @param event  the event
 */
record Envelope(String nodeId, RoomEvent event) {

    private static final String VERSION = "cw1 ";

    Envelope {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(event, "event");
    }

    /** The text to publish. */
    String encode() {
        String chatId = event.chatId();
        StringBuilder text = new StringBuilder(64 + nodeId.length() + event.type().length()
                + (chatId == null ? 0 : chatId.length()) + event.frame().length());
        text.append(VERSION).append(nodeId.length()).append(' ').append(event.type().length()).append(' ')
                .append(chatId == null ? -1 : chatId.length()).append(' ').append(event.seq()).append('\n')
                .append(nodeId).append(event.type());
        if (chatId != null) {
            text.append(chatId);
        }
        return text.append(event.frame()).toString();
    }

    /**
     * Parses published text.
     *
     * @throws IllegalArgumentException if the text is not an envelope of this version
     */
    static Envelope decode(String text) {
        int newline = text.indexOf('\n');
        if (!text.startsWith(VERSION) || newline < 0) {
            throw new IllegalArgumentException("not a chatwire envelope");
        }
        String[] header = text.substring(VERSION.length(), newline).split(" ");
        if (header.length != 4) {
            throw new IllegalArgumentException("malformed envelope header");
        }
        try {
            int nodeLength = Integer.parseInt(header[0]);
            int typeLength = Integer.parseInt(header[1]);
            int chatLength = Integer.parseInt(header[2]);
            long seq = Long.parseLong(header[3]);
            if (nodeLength < 0 || typeLength < 0 || chatLength < -1
                    || (long) newline + 1 + nodeLength + typeLength + Math.max(0, chatLength) > text.length()) {
                throw new IllegalArgumentException("envelope lengths out of range");
            }
            int nodeStart = newline + 1;
            int typeStart = nodeStart + nodeLength;
            int chatStart = typeStart + typeLength;
            int frameStart = chatStart + Math.max(0, chatLength);
            String chatId = chatLength < 0 ? null : text.substring(chatStart, frameStart);
            RoomEvent event = new RoomEvent(text.substring(typeStart, chatStart), chatId, seq,
                    text.substring(frameStart));
            return new Envelope(text.substring(nodeStart, typeStart), event);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed envelope header", e);
        }
    }
}
