package dev.chatwire.client;

/**
 * Tells, tick by tick, whether a socket still lives: it does while something (a frame, a ping or a pong) arrived since
 * the last tick's ping. A dead link is thus found between one and two tick intervals after it went silent, without a
 * clock. Not thread-safe: used on the client's event thread.
 */
final class Liveness {

    private boolean heard;
    private boolean pinged;

    /** Something arrived from the server. */
    void heard() {
        heard = true;
    }

    /**
     * One tick. Returns true when a ping went out at the last tick and nothing at all arrived since: the link is
     * dead. Otherwise the caller sends the next ping.
     */
    boolean silentSinceLastPing() {
        if (pinged && !heard) {
            return true;
        }
        heard = false;
        pinged = true;
        return false;
    }
}
