package dev.chatwire.benchmark;

/**
 * The state every {@link BareSocket} keeps for the rooms: its id, the user it signed in as, and the rooms' attachment.
 * A base class rather than an object of its own, so that a socket costs no extra object; {@link BareEndpoint}, which
 * must extend the Jakarta {@code Endpoint}, keeps the same fields itself.
 */
abstract class BareSocketState implements BareSocket {

    private final String id;
    private volatile String userId;
    /** Guarded by this socket's monitor, which the rooms hold around it. */
    private Object attachment;

    BareSocketState(String id) {
        this.id = id;
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final String userId() {
        return userId;
    }

    @Override
    public final void userId(String user) {
        this.userId = user;
    }

    @Override
    public final Object attachment() {
        return attachment;
    }

    @Override
    public final void attachment(Object value) {
        this.attachment = value;
    }
}
