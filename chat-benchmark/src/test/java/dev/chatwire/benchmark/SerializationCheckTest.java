package dev.chatwire.benchmark;

import dev.chatwire.core.protocol.ProtocolCodec;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class SerializationCheckTest {

    @Test
    void theCheckWatchesEveryPublicMethodOfTheCodecThatWritesAMessageOrEvent() {
        // The check counts allocations under these names; a serializing method it does not know would read as
        // "serialized 0 times per publish" (it did, once, when the engine moved from encode to encodeMessage).
        Set<String> writers = Arrays.stream(ProtocolCodec.class.getDeclaredMethods())
                .filter(method -> Modifier.isPublic(method.getModifiers()))
                .filter(method -> method.getReturnType() == String.class)
                .map(Method::getName)
                // The sender's ack and the answer to a REST post: never part of a fan-out.
                .filter(name -> !name.equals("ackFrame") && !name.equals("messagesBody"))
                .map(name -> ProtocolCodec.class.getName() + "." + name)
                .collect(Collectors.toSet());

        assertThat(SerializationCheck.SERIALIZING).containsExactlyInAnyOrderElementsOf(writers);
    }

    @Test
    void oneSerializationOfABenchmarkMessageAllocatesAtLeastItsText() {
        assertThat(SerializationCheck.bytesPerEncode(200)).isGreaterThan(200);
    }
}
