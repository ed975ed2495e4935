package dev.chatwire.benchmark;

import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.OutgoingEntry;

import java.util.UUID;

/** The bare server's socket on Jetty's core WebSocket API: no Jakarta session, decoders, encoders or handlers. */
final class BareCoreSocket extends BareSocket implements FrameHandler {

    private final BareRooms rooms;
    private final TextFrames textFrames = new TextFrames();
    private volatile CoreSession session;

    BareCoreSocket(BareRooms rooms) {
        super(UUID.randomUUID().toString());
        this.rooms = rooms;
    }

    @Override
    public void onOpen(CoreSession coreSession, Callback callback) {
        this.session = coreSession;
        callback.succeeded();
        coreSession.demand();
    }

    /** Routes whole text messages to the rooms, and demands the next frame until the peer closes. */
    @Override
    public void onFrame(Frame frame, Callback callback) {
        byte opCode = frame.getOpCode();
        if (opCode == OpCode.TEXT || opCode == OpCode.CONTINUATION) {
            String text = textFrames.accept(frame);
            if (text != null) {
                rooms.onText(this, text);
            }
        }
        callback.succeeded();
        if (opCode != OpCode.CLOSE) {
            session.demand();
        }
    }

    @Override
    public void onError(Throwable cause, Callback callback) {
        callback.succeeded();
    }

    @Override
    public void onClosed(CloseStatus closeStatus, Callback callback) {
        rooms.disconnect(this);
        callback.succeeded();
    }

    @Override
    void write(String text) {
        // Jetty 12.1 sets the write timeout per frame; Jetty queues the frame without a bound.
        session.sendFrame(new OutgoingEntry.Builder(new Frame(OpCode.TEXT, text), Callback.NOOP)
                .frameTimeout(BareServer.SEND_TIMEOUT.toMillis()).build());
    }
}
