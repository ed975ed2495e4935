package dev.chatwire.benchmark;

import dev.chatwire.core.Message;
import dev.chatwire.core.MessageType;
import dev.chatwire.core.protocol.ProtocolCodec;
import dev.chatwire.core.protocol.ServerEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class FrameScannerTest {

    private final Marker marker = new Marker(417, 987_654_321L);
    private final String text = marker.text(80);
    private final Message message = new Message("m-1", "chat-1", 58, "alice", MessageType.TEXT, text, null, "c417",
            Instant.parse("2026-01-02T03:04:05.006Z"));

    @Test
    void readsChatwiresNewMessageFrames() {
        String frame = new ProtocolCodec().encode(new ServerEvent.NewMessage(message));

        assertThat(FrameScanner.type(frame)).isEqualTo("new_message");
        assertThat(FrameScanner.string(frame, "text", 0)).isEqualTo(text);
        assertThat(FrameScanner.number(frame, "seq", -1)).isEqualTo(58);
        assertThat(Marker.parse(FrameScanner.string(frame, "text", 0))).isEqualTo(marker);
    }

    @Test
    void readsChatwiresAckFrames() {
        String frame = new ProtocolCodec().encode(new ServerEvent.Ack("c417", message));

        assertThat(FrameScanner.type(frame)).isEqualTo("ack");
        assertThat(FrameScanner.string(frame, "clientMessageId", 0)).isEqualTo("c417");
    }

    @Test
    void readsTheBareServersFramesTheSameWay() {
        BareRooms rooms = new BareRooms();
        String frame = "{\"type\":\"new_message\",\"message\":" + rooms.json(new BareRooms.WireMessage("m-1",
                "chat-1", 58, "alice", "text", text, "c417", "2026-01-02T03:04:05.006Z")) + "}";

        assertThat(FrameScanner.type(frame)).isEqualTo("new_message");
        assertThat(FrameScanner.number(frame, "seq", -1)).isEqualTo(58);
        assertThat(Marker.parse(FrameScanner.string(frame, "text", 0))).isEqualTo(marker);
    }

    @Test
    void toleratesSpacesAndMissingFields() {
        String frame = "{ \"type\" : \"presence\", \"seq\" : 7 }";

        assertThat(FrameScanner.type(frame)).isEqualTo("presence");
        assertThat(FrameScanner.number(frame, "seq", -1)).isEqualTo(7);
        assertThat(FrameScanner.string(frame, "text", 0)).isNull();
        assertThat(FrameScanner.number(frame, "missing", -1)).isEqualTo(-1);
    }

    @Test
    void markersRoundTripAndRejectOtherTexts() {
        assertThat(text).hasSize(80).startsWith("bm:417:987654321:");
        assertThat(Marker.parse("hello")).isNull();
        assertThat(Marker.parse("bm:x:1:")).isNull();
        assertThat(Marker.parse(null)).isNull();
    }
}
