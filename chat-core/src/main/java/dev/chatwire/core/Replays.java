package dev.chatwire.core;

import dev.chatwire.core.protocol.ServerEvent;
import dev.chatwire.core.spi.UnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/** Reads what a cursor missed from the store, a page at a time on the executor, and hands it to the cursor. */
final class Replays {

    private static final Logger log = LoggerFactory.getLogger(Replays.class);
    /** Failed store reads in a row after which the socket is closed, so that its client resumes. */
    private static final int ATTEMPTS = 8;
    /** How soon to look again for a seq the store does not show yet. */
    private static final long LOOK_AGAIN_MILLIS = 50;

    private final EngineParts parts;

    Replays(EngineParts parts) {
        this.parts = parts;
    }

    /** Sends a new cursor's held events, replaying from the store first when the client resumes from an older seq. */
    void start(ChatCursor cursor, long lastSeq) {
        cursor.setBaseline(lastSeq);
        if (cursor.delivered() >= lastSeq && cursor.step(cursor.delivered(), List.of(), false)) {
            return;
        }
        schedule(cursor);
    }

    /** Starts a cursor's catch-up on the executor. */
    void schedule(ChatCursor cursor) {
        parts.metrics().report().replayStarted();
        resume(cursor);
    }

    /** Goes on with a catch-up that paused (a full queue, a seq not shown yet, a failed read). */
    private void resume(ChatCursor cursor) {
        try {
            parts.work().execute(() -> catchUp(cursor));
        } catch (RejectedExecutionException e) {
            log.debug("engine closed; catch-up dropped");
        }
    }

    private void catchUp(ChatCursor cursor) {
        Session session = cursor.session();
        int pageSize = parts.limits().replayPageSize();
        try {
            if (cursor.needsBaseline()) {
                cursor.setBaseline(parts.messages().lastSeq(cursor.chatId()));
            }
            while (!session.isClosed() && session.chats().cursor(cursor.chatId()) == cursor) {
                if (!session.outbound().hasRoomForReplay()) {
                    session.outbound().whenDrained(() -> resume(cursor));
                    return;
                }
                long from = cursor.delivered();
                List<TimelineEntry> page = parts.messages().timeline(cursor.chatId(), from, pageSize);
                List<SeqFrame> frames = page.stream().map(entry -> frame(entry, cursor)).toList();
                cursor.replaySucceeded();
                parts.metrics().report().replayed(page.size());
                if (cursor.step(from, frames, page.size() == pageSize)) {
                    return;
                }
                if (page.isEmpty() && from == cursor.delivered()) {
                    // A held event waits for a seq the store does not show yet (still being written): look again.
                    later(cursor, LOOK_AGAIN_MILLIS);
                    return;
                }
            }
        } catch (UnavailableException e) {
            int failures = cursor.replayFailed();
            if (failures >= ATTEMPTS) {
                log.warn("replay of chat {} failed {} times; closing connection {}", cursor.chatId(), failures,
                        session.id(), e);
                session.close(CloseCodes.TRY_AGAIN_LATER, "store unavailable");
                return;
            }
            log.warn("replay of chat {} paused: store unavailable; retrying", cursor.chatId(), e);
            later(cursor, Retries.delayAfter(failures).toMillis());
        } catch (RuntimeException e) {
            log.error("replay of chat {} failed", cursor.chatId(), e);
            session.close(CloseCodes.SERVER_ERROR, "replay failed");
        }
    }

    /**
     * A stored entry as its live event would have carried it: a message, or a change to one; or hidden, for a change
     * to a message that history from join hides from the user, and for another user's removal (its live
     * {@code chat_updated} is not kept); or, for the removal of the cursor's own user, where the cursor stops.
     */
    private SeqFrame frame(TimelineEntry entry, ChatCursor cursor) {
        if (entry.isRemoval()) {
            return entry.removedUserId().equals(cursor.session().userId()) ? cursor.removal(entry.seq())
                    : SeqFrame.hidden(entry.seq());
        }
        Message message = entry.message();
        if (message.seq() <= cursor.hiddenThrough()) {
            return SeqFrame.hidden(entry.seq());
        }
        ServerEvent event = entry.isChange() ? new ServerEvent.MessageUpdated(message.chatId(), entry.seq(), message)
                : new ServerEvent.NewMessage(message);
        return new SeqFrame(entry.seq(), parts.codec().encode(event));
    }

    private void later(ChatCursor cursor, long delayMillis) {
        try {
            parts.timers().schedule(() -> resume(cursor), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("engine closed; catch-up dropped");
        }
    }
}
