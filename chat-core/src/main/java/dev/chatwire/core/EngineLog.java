package dev.chatwire.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the engine logs about itself and its sockets: INFO once at start (the adapters, the limits that differ from
 * the defaults), INFO for refused tokens at most once per {@link #REFUSAL_INTERVAL} with the reason and never the
 * token, and DEBUG per socket opened, admitted and closed with {@code connectionId} and {@code userId} in the SLF4J
 * MDC for the duration of the line.
 */
final class EngineLog {

    /** Refused tokens are logged at INFO at most this often; the others at DEBUG, counted in the next INFO line. */
    static final Duration REFUSAL_INTERVAL = RefusalLog.INTERVAL;
    /** The MDC key of a socket's id. */
    static final String CONNECTION_ID = "connectionId";
    /** The MDC key of a socket's user, once authenticated. */
    static final String USER_ID = "userId";

    private static final Logger log = LoggerFactory.getLogger(ChatEngine.class);

    private final RefusalLog tokenRefusals;

    EngineLog(Clock clock) {
        this.tokenRefusals = new RefusalLog(log, clock);
    }

    /** Logs that the engine started, with its adapters and the limits it does not take from the defaults. */
    void started(Adapters adapters, ChatLimits limits) {
        if (log.isInfoEnabled()) {
            log.info(startLine(adapters, limits));
        }
    }

    /** The start line: adapters by role and class, then the limits set away from {@link ChatLimits#defaults()}. */
    static String startLine(Adapters adapters, ChatLimits limits) {
        List<String> changed = changedLimits(limits, ChatLimits.defaults());
        return "Chatwire engine started: tokenVerifier=" + name(adapters.tokens())
                + ", messageStore=" + name(adapters.messages()) + ", chatStore=" + name(adapters.chats())
                + ", readStateStore=" + name(adapters.readStates())
                + ", mediaStore=" + name(adapters.media()) + ", presenceRegistry=" + name(adapters.presence())
                + ", roomBroadcaster=" + name(adapters.broadcaster())
                + (changed.isEmpty() ? "; default limits" : "; limits " + String.join(", ", changed));
    }

    /** Each limit that differs from its default, as {@code name=value (default d)}. */
    static List<String> changedLimits(ChatLimits limits, ChatLimits defaults) {
        List<String> changed = new ArrayList<>();
        for (RecordComponent component : ChatLimits.class.getRecordComponents()) {
            Object value = read(component, limits);
            Object standard = read(component, defaults);
            if (!Objects.equals(value, standard)) {
                changed.add(component.getName() + "=" + value + " (default " + standard + ")");
            }
        }
        return changed;
    }

    private static Object read(RecordComponent component, ChatLimits limits) {
        try {
            return component.getAccessor().invoke(limits);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read ChatLimits." + component.getName(), e);
        }
    }

    private static String name(Object adapter) {
        Class<?> type = adapter.getClass();
        return type.isSynthetic() || type.isAnonymousClass() || type.getSimpleName().isEmpty()
                ? type.getName() : type.getSimpleName();
    }

    /**
     * A socket's token was refused: INFO with the reason unless one was logged within {@link #REFUSAL_INTERVAL},
     * else DEBUG. The reason comes from the verifier and never holds the token.
     *
     * @return whether it was logged at INFO
     */
    boolean tokenRefused(String connectionId, String reason) {
        return tokenRefusals.refused("socket " + connectionId + " refused: token refused: " + reason,
                () -> connection(connectionId, null, "token refused: " + reason));
    }

    /** DEBUG about one socket, with its id and user (null before authentication) in the MDC. */
    static void connection(String connectionId, String userId, String what) {
        if (!log.isDebugEnabled()) {
            return;
        }
        // The host's own values (a request filter's, say) are put back afterwards.
        String hostConnectionId = MDC.get(CONNECTION_ID);
        String hostUserId = MDC.get(USER_ID);
        MDC.put(CONNECTION_ID, connectionId);
        if (userId != null) {
            MDC.put(USER_ID, userId);
        }
        try {
            log.debug("connection {}", what);
        } finally {
            restore(CONNECTION_ID, hostConnectionId);
            restore(USER_ID, hostUserId);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
