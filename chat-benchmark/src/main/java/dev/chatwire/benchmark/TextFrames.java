package dev.chatwire.benchmark;

import org.eclipse.jetty.util.Utf8StringBuilder;
import org.eclipse.jetty.websocket.core.Frame;

/** Joins the frames of one socket's text messages; a socket hands it its frames one at a time. Not thread-safe. */
final class TextFrames {

    private Utf8StringBuilder partial;

    /** Takes a TEXT or CONTINUATION frame; returns the whole message once its last frame arrived, else null. */
    String accept(Frame frame) {
        if (partial == null && frame.isFin()) {
            return frame.getPayloadAsUTF8();
        }
        if (partial == null) {
            partial = new Utf8StringBuilder();
        }
        partial.append(frame.getPayload());
        if (!frame.isFin()) {
            return null;
        }
        String text = partial.toCompleteString();
        partial = null;
        return text;
    }
}
