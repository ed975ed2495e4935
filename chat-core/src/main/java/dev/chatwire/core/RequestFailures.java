package dev.chatwire.core;

import dev.chatwire.core.spi.UnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/** How requests fail: the one place that maps adapter failures, and the one refusal every request shares. */
final class RequestFailures {

    private static final Logger log = LoggerFactory.getLogger(RequestFailures.class);

    private RequestFailures() {
    }

    /** Runs a request, turning adapter failures into {@link ErrorCode#UNAVAILABLE}. */
    static <T> T guarded(Supplier<T> request) {
        try {
            return request.get();
        } catch (UnavailableException e) {
            log.warn("request failed: {}", e.getMessage(), e.getCause());
            throw new ChatException(ErrorCode.UNAVAILABLE, "service unavailable, retry later", e);
        }
    }

    /** The refusal for a chat the user does not take part in, whether or not it exists. */
    static ChatException notParticipant() {
        return new ChatException(ErrorCode.FORBIDDEN, "not a participant of this chat");
    }
}
