package dev.chatwire.core;

import dev.chatwire.core.spi.RoomEvent;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What one connection has been sent of one chat's timeline, and the repair of any hole in it.
 *
 * <p>Timeline events (seq &gt; 0) go out in seq order, each once. An event whose seq is not the next one (a replay
 * is running, an earlier event is still in flight on another thread, or a broadcaster lost some) is held while the
 * missing seqs are read from the store; held events and store pages merge by seq, so nothing is sent twice or
 * skipped. Every stored message is published only after it is stored, so a held event is always in the store by the
 * time it is held, and a catch-up always ends. A hole in a store page is settled (the store shows seqs in order, see
 * {@link dev.chatwire.core.spi.MessageStore}); a hole above the store's newest seq is not, and events past it wait.
 * Untimed events (seq 0: typing, presence, read) go out as they come, but never before the frame that tells the client
 * of the chat: the connection joins the chat's room before that frame is sent, so that no message falls between them,
 * and what comes in between is held until it is.
 */
final class ChatCursor {

    /** {@link #delivered} before the baseline is known. */
    static final long UNKNOWN = -1;

    private final String chatId;
    private final Session session;
    private final int maxPendingEvents;
    private long delivered;
    private boolean catchingUp = true;
    private List<SeqFrame> held;
    /** Whether the client has been told of the chat ({@code connected} or {@code chat_joined}). */
    private boolean announced;
    /** Untimed events (typing, presence, read) that came before the client was told of the chat. */
    private List<RoomEvent> early;
    /** Store reads of this cursor's replay that failed in a row. */
    private int replayFailures;
    /** Whether the user was removed from the chat: the cursor sends nothing more, whatever comes. */
    private boolean cut;
    /** Whether this connection's reads have had the user's consent to the chat recorded. */
    private boolean consentChecked;
    /** The chat as this connection last read it from the store, or null: sends skip the lookup while it holds. */
    private Chat known;
    /** The highest seq hidden from the user by history from join: nothing at or below it is sent, changes included. */
    private long hiddenThrough;
    /** The chat's seq when the user was last added to it (0 for a first participant): older removals are not its. */
    private long joinSeq;

    /**
     * A cursor that starts catching up at once.
     *
     * @param resumeFrom       the last seq the client saw, or {@link #UNKNOWN} to start from the chat's current end
     * @param maxPendingEvents how many live events the cursor holds at most while it catches up
     */
    ChatCursor(String chatId, Session session, long resumeFrom, int maxPendingEvents) {
        this.chatId = chatId;
        this.session = session;
        this.delivered = resumeFrom;
        this.maxPendingEvents = maxPendingEvents;
    }

    String chatId() {
        return chatId;
    }

    Session session() {
        return session;
    }

    /** What the caller must do once a cursor has taken an event, outside the cursor's lock. */
    enum Next {
        /** Nothing more. */
        NOTHING,
        /** Read what the connection missed from the store: schedule a catch-up step. */
        CATCH_UP,
        /** More events are held than the limit allows: close the socket so that its client resumes. */
        RESYNC
    }

    /**
     * Handles a live event of the chat.
     *
     * @return what the caller must do next
     */
    synchronized Next onEvent(RoomEvent event) {
        if ("chat_updated".equals(event.type())) {
            // Who takes part or manages the chat changed: sends read it afresh, as they arrive, not in seq order.
            known = null;
        }
        if (cut) {
            return Next.NOTHING;
        }
        if (event.seq() == 0) {
            if (announced) {
                session.send(event.frame());
            } else {
                holdEarly(event);
            }
            return Next.NOTHING;
        }
        SeqFrame entry = entryOf(event);
        if (catchingUp) {
            return hold(entry);
        }
        if (entry.seq() <= delivered) {
            return Next.NOTHING;
        }
        if (entry.seq() == delivered + 1) {
            emit(entry);
            delivered = entry.seq();
            return Next.NOTHING;
        }
        catchingUp = true;
        return hold(entry) == Next.RESYNC ? Next.RESYNC : Next.CATCH_UP;
    }

    /** A live timeline event as this connection's user may see it. */
    private SeqFrame entryOf(RoomEvent event) {
        if (hiddenThrough > 0 && "message_updated".equals(event.type())
                && HistoryVisibility.changesHiddenMessage(event.frame(), hiddenThrough)) {
            return SeqFrame.hidden(event.seq());
        }
        if ("chat_updated".equals(event.type())
                && session.userId().equals(HistoryVisibility.removedUserOf(event.frame()))) {
            return removal(event.seq());
        }
        return new SeqFrame(event.seq(), event.frame());
    }

    /**
     * The client has just been sent the frame that tells it of the chat: the untimed events that came since the
     * connection joined the chat's room go out now, after it, as later ones will.
     */
    synchronized void announced() {
        announced = true;
        if (early != null && !cut) {
            early.forEach(event -> session.send(event.frame()));
            early = null;
        }
    }

    /**
     * Replays from {@code seq} on: the client asked again for what came after it (a resume on an open socket).
     *
     * @return whether the caller must schedule a catch-up step (none runs yet)
     */
    synchronized boolean rewindTo(long seq) {
        if (delivered != UNKNOWN && seq < delivered) {
            delivered = Math.max(seq, hiddenThrough);
        }
        return startCatchUp();
    }

    /**
     * Something may have been lost: the store is to be checked for anything after what was sent.
     *
     * @return whether the caller must schedule a catch-up step (none runs yet)
     */
    synchronized boolean startCatchUp() {
        if (catchingUp) {
            return false;
        }
        catchingUp = true;
        return true;
    }

    /**
     * The user was removed from the chat: from the moment this returns the cursor sends nothing more, so that a
     * message stored after the removal never reaches this connection. Taking the cursor's lock waits out a send in
     * progress, which only queues a frame.
     */
    synchronized void cut() {
        cut = true;
        held = null;
        early = null;
    }

    /** Whether the user was removed from the chat; the connection waits for {@code chat_left} to drop the cursor. */
    synchronized boolean isCut() {
        return cut;
    }

    /** Whether the client has been told of the chat, so that it must be told when it leaves. */
    synchronized boolean wasAnnounced() {
        return announced;
    }

    /** Whether a read receipt of this connection in this chat is still to record the user's consent. */
    synchronized boolean needsConsent() {
        return !consentChecked;
    }

    /** The user's consent to this chat is stored; later read receipts need not record it again. */
    synchronized void consentRecorded() {
        consentChecked = true;
    }

    /**
     * The chat to check a send of this connection against without a store call: the one last read, while the user is
     * a member who has consented. A removal cuts the cursor (here at once, elsewhere by {@code chat_left} or at the
     * removal's seq), and any {@code chat_updated} drops the chat, so that the next send reads who takes part and who
     * manages it afresh; null when the cursor is cut or the chat is still to be read.
     */
    synchronized Chat memberChat() {
        return cut || known == null || !known.hasAccepted(session.userId()) ? null : known;
    }

    /** Remembers the chat as read from the store, for later sends (see {@link #memberChat()}). */
    synchronized void know(Chat chat) {
        known = chat;
    }

    /** A store read of the replay failed; returns how many failed in a row. */
    synchronized int replayFailed() {
        return ++replayFailures;
    }

    /** A store read of the replay succeeded. */
    synchronized void replaySucceeded() {
        replayFailures = 0;
    }

    /** Whether the baseline is still unknown; then the engine reads it before the first step. */
    synchronized boolean needsBaseline() {
        return delivered == UNKNOWN;
    }

    synchronized void setBaseline(long lastSeq) {
        if (delivered == UNKNOWN) {
            delivered = Math.max(lastSeq, hiddenThrough);
        }
    }

    /**
     * Where the user's membership of the chat starts. {@code joinSeq} is the chat's seq when the user was last added
     * ({@link Chat#joinSeqOf}): a removal entry of the user at or below it is from an earlier membership and does not
     * stop the cursor. History from join hides the entries up to {@code hiddenThrough}: the cursor starts after them
     * whatever the client resumes from, and drops the changes to messages up to there. Set before the connection
     * joins the chat's room.
     */
    synchronized void joinedAt(long joinSeq, long hiddenThrough) {
        this.joinSeq = joinSeq;
        this.hiddenThrough = hiddenThrough;
        if (delivered != UNKNOWN && delivered < hiddenThrough) {
            delivered = hiddenThrough;
        }
    }

    /** The entry at {@code seq} that removed this cursor's user: where it stops, unless it is older than its join. */
    synchronized SeqFrame removal(long seq) {
        return seq > joinSeq ? SeqFrame.removal(seq) : SeqFrame.hidden(seq);
    }

    /** The highest seq hidden from the user; 0 when it sees the whole chat. */
    synchronized long hiddenThrough() {
        return hiddenThrough;
    }

    synchronized long delivered() {
        return delivered;
    }

    /**
     * Sends one page of stored messages after {@link #delivered()} and, once the store has nothing more, the held
     * events.
     *
     * <p>A page is settled through its last seq ({@link dev.chatwire.core.spi.MessageStore} shows seqs in order), so
     * held events up to there go out with it, merged by seq: a held event is never dropped for a page that lacks it.
     * Held events past the page go out only while they follow on without a hole, since a seq above what the store
     * shows may still be being written; the engine looks at the store again for the rest.
     *
     * @param page stored messages after {@code from}, oldest first, as encoded {@code new_message} frames with seqs
     * @return {@code true} when caught up; {@code false} when another step is needed
     */
    synchronized boolean step(long from, List<SeqFrame> page, boolean pageWasFull) {
        if (cut) {
            held = null;
            catchingUp = false;
            return true;
        }
        if (from != delivered) {
            return false;
        }
        long settledThrough = page.isEmpty() ? delivered : page.get(page.size() - 1).seq();
        List<SeqFrame> merged = new ArrayList<>(page);
        merged.addAll(takeHeldThrough(settledThrough));
        merged.sort(Comparator.comparingLong(SeqFrame::seq));
        for (SeqFrame entry : merged) {
            if (entry.seq() > delivered) {
                emit(entry);
                delivered = entry.seq();
            }
        }
        if (cut) {
            return stopped();
        }
        if (pageWasFull) {
            return false;
        }
        if (held != null) {
            held.sort(Comparator.comparingLong(SeqFrame::seq));
            List<SeqFrame> stillHeld = new ArrayList<>();
            for (SeqFrame entry : held) {
                if (entry.seq() <= delivered) {
                    continue;
                }
                if (entry.seq() == delivered + 1 && stillHeld.isEmpty()) {
                    emit(entry);
                    delivered = entry.seq();
                } else {
                    stillHeld.add(entry);
                }
            }
            held = stillHeld.isEmpty() ? null : stillHeld;
            if (cut) {
                return stopped();
            }
            if (held != null) {
                return false;
            }
        }
        catchingUp = false;
        return true;
    }

    /** Sends a timeline entry's frame, skips a hidden one, and stops the cursor at its user's removal. */
    private void emit(SeqFrame entry) {
        if (cut) {
            return;
        }
        switch (entry.kind()) {
            case SEND -> session.send(entry.frame());
            case HIDDEN -> {
                // The seq is passed, and nothing is sent.
            }
            case REMOVAL -> {
                cut = true;
                early = null;
                // The store says whether the user is still out: a re-adding racing the removal is joined afresh.
                session.engine().resyncMembership(session);
            }
        }
    }

    /** Ends a catch-up that reached the user's removal: nothing more goes out. */
    private boolean stopped() {
        held = null;
        catchingUp = false;
        return true;
    }

    /** Removes and returns the held events with a seq up to {@code seq}. */
    private List<SeqFrame> takeHeldThrough(long seq) {
        if (held == null) {
            return List.of();
        }
        List<SeqFrame> taken = new ArrayList<>();
        held.removeIf(event -> event.seq() <= seq && taken.add(event));
        if (held.isEmpty()) {
            held = null;
        }
        return taken;
    }

    private void holdEarly(RoomEvent event) {
        if (early == null) {
            early = new ArrayList<>();
        }
        // Untimed events are not replayed from any store, so past the bound the newest are let go, not the socket.
        if (early.size() < maxPendingEvents) {
            early.add(event);
        }
    }

    private Next hold(SeqFrame entry) {
        if (held == null) {
            held = new ArrayList<>();
        }
        if (held.size() >= maxPendingEvents) {
            return Next.RESYNC;
        }
        held.add(entry);
        return Next.NOTHING;
    }
}
