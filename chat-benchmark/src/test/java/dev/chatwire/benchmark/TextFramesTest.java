package dev.chatwire.benchmark;

import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class TextFramesTest {

    private static Frame frame(byte opCode, byte[] payload, boolean fin) {
        return new Frame(opCode, fin, ByteBuffer.wrap(payload));
    }

    @Test
    void aWholeMessageComesBackAtOnceAndAFragmentedOneWhenItsLastFrameArrives() {
        TextFrames frames = new TextFrames();
        assertThat(frames.accept(frame(OpCode.TEXT, "{\"a\":1}".getBytes(StandardCharsets.UTF_8), true)))
                .isEqualTo("{\"a\":1}");

        // A two-byte character split across frames must come out whole.
        byte[] text = "caf\u00e9 au lait".getBytes(StandardCharsets.UTF_8);
        assertThat(frames.accept(frame(OpCode.TEXT, Arrays.copyOfRange(text, 0, 4), false))).isNull();
        assertThat(frames.accept(frame(OpCode.CONTINUATION, Arrays.copyOfRange(text, 4, 8), false))).isNull();
        assertThat(frames.accept(frame(OpCode.CONTINUATION, Arrays.copyOfRange(text, 8, text.length), true)))
                .isEqualTo("caf\u00e9 au lait");

        assertThat(frames.accept(frame(OpCode.TEXT, "next".getBytes(StandardCharsets.UTF_8), true)))
                .isEqualTo("next");
    }
}
