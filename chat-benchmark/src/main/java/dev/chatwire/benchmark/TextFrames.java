package dev.chatwire.benchmark;

import org.eclipse.jetty.websocket.core.Frame;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Joins the frames of one socket's text messages; a socket hands it its frames one at a time. Not thread-safe. */
final class TextFrames {

    private ByteArrayOutputStream partial;

    /** Takes a TEXT or CONTINUATION frame; returns the whole message once its last frame arrived, else null. */
    String accept(Frame frame) {
        if (frame.isFin() && partial == null) {
            return frame.getPayloadAsUTF8();
        }
        if (partial == null) {
            partial = new ByteArrayOutputStream();
        }
        ByteBuffer payload = frame.getPayload();
        if (payload != null) {
            byte[] bytes = new byte[payload.remaining()];
            payload.slice().get(bytes);
            partial.writeBytes(bytes);
        }
        if (!frame.isFin()) {
            return null;
        }
        String text = partial.toString(StandardCharsets.UTF_8);
        partial = null;
        return text;
    }
}
