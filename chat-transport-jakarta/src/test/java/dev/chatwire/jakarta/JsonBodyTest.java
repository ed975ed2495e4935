package dev.chatwire.jakarta;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chatwire.core.ChatException;
import dev.chatwire.core.ErrorCode;
import dev.chatwire.core.protocol.ProtocolCodec;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonBodyTest {

    private static final ObjectMapper MAPPER = new ProtocolCodec().mapper();

    static JsonBody parse(String body) {
        return JsonBody.parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), MAPPER, 1024);
    }

    private static void refused(String body, String problem) {
        assertThatThrownBy(() -> parse(body)).isInstanceOfSatisfying(ChatException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID);
            assertThat(e.getMessage()).isEqualTo(problem);
        });
    }

    @Test
    void dataAfterTheObjectIsRefused() {
        refused("{\"seq\":1} {\"seq\":2}", "unexpected data after the JSON object");
        refused("{\"seq\":1} 2", "unexpected data after the JSON object");
    }

    @Test
    void aFieldGivenTwiceIsRefused() {
        refused("{\"chatId\":\"c1\",\"text\":\"a\",\"chatId\":\"c2\"}", "duplicate field 'chatId'");
    }

    @Test
    void numbersAndTextKeepTheirOwnTypes() {
        assertThatThrownBy(() -> parse("{\"seq\":\"12\"}").requiredLong("seq"))
                .hasMessage("field 'seq' has the wrong type");
        assertThatThrownBy(() -> parse("{\"seq\":12.5}").requiredLong("seq"))
                .hasMessage("field 'seq' has the wrong type");
        assertThatThrownBy(() -> parse("{\"userId\":12}").requiredText("userId"))
                .hasMessage("field 'userId' has the wrong type");
        assertThat(parse("{\"seq\":12}").requiredLong("seq")).isEqualTo(12);
    }

    @Test
    void aBodyOverTheLimitIsTooLargeWhateverItDeclared() {
        assertThatThrownBy(() -> parse("{\"text\":\"" + "x".repeat(2000) + "\"}"))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE));
    }
}
