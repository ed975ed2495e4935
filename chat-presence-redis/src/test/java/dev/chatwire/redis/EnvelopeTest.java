package dev.chatwire.redis;

import dev.chatwire.core.spi.RoomEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvelopeTest {

    @Test
    void everyFieldSurvivesEncodingIncludingSeparatorsInsideThem() {
        RoomEvent event = new RoomEvent("new message\n", "chat 7\ncw1 1 1", 42,
                "{\"text\":\"a\\nb\"}\nraw line\r\n 😀 ü");
        Envelope envelope = new Envelope("node a\n", event);

        assertThat(Envelope.decode(envelope.encode())).isEqualTo(envelope);
    }

    @Test
    void nullChatIdAndEmptyFieldsStayDistinct() {
        Envelope nullChat = new Envelope("n", new RoomEvent("typing", null, 0, ""));
        Envelope emptyChat = new Envelope("n", new RoomEvent("typing", "", 0, ""));

        assertThat(Envelope.decode(nullChat.encode()).event().chatId()).isNull();
        assertThat(Envelope.decode(emptyChat.encode()).event().chatId()).isEmpty();
    }

    @Test
    void theFrameIsCarriedVerbatimAfterOneHeaderLine() {
        String frame = "{\"type\":\"new_message\",\"seq\":3}";
        String text = new Envelope("node-1", new RoomEvent("new_message", "c1", 3, frame)).encode();

        assertThat(text).startsWith("cw1 6 11 2 3\nnode-1new_messagec1").endsWith(frame);
    }

    @Test
    void textThatIsNotAnEnvelopeIsRejected() {
        assertThatThrownBy(() -> Envelope.decode("{\"type\":\"x\"}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Envelope.decode("cw1 1 2 3\nabc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Envelope.decode("cw1 5 5 5 1\nshort")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Envelope.decode("cw1 x 1 1 1\nabc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Envelope.decode("cw1 2147483647 2147483647 1 1\nabc"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
