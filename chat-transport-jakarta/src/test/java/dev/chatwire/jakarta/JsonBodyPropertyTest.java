package dev.chatwire.jakarta;

import dev.chatwire.core.ChatException;
import dev.chatwire.core.ErrorCode;
import dev.chatwire.core.contract.JsonInputs;
import dev.chatwire.core.contract.PropertyRunner;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any REST body, read and then asked for each field the servlet reads, gives values or a 400 with a reason; no
 * other exception reaches the servlet (which would answer 500).
 */
class JsonBodyPropertyTest {

    private static final List<String> VALID_BODIES = List.of(
            "{\"chatId\":\"c1\",\"text\":\"hi\",\"clientMessageId\":\"k1\"}",
            "{\"participants\":[\"bob\",\"carol\"],\"name\":\"team\"}",
            "{\"seq\":12}",
            "{\"userId\":\"dave\"}");
    private static final List<String> FIELDS = List.of("chatId", "text", "clientMessageId", "participants", "name",
            "seq", "userId");

    @Test
    void everyBodyGivesItsFieldsOrIsRefusedAsInvalid() {
        PropertyRunner.forAll("REST bodies", random -> JsonInputs.document(random, VALID_BODIES, FIELDS), body -> {
            JsonBody parsed;
            try {
                parsed = JsonBodyTest.parse(body);
            } catch (ChatException refused) {
                assertRefusedWithAReason(refused);
                return;
            }
            readEach(() -> parsed.requiredText("chatId"));
            readEach(() -> parsed.text("clientMessageId"));
            readEach(() -> parsed.texts("participants"));
            readEach(() -> parsed.requiredLong("seq"));
            readEach(() -> parsed.requiredText("userId"));
        });
    }

    private static void readEach(Runnable read) {
        try {
            read.run();
        } catch (ChatException refused) {
            assertRefusedWithAReason(refused);
        }
    }

    private static void assertRefusedWithAReason(ChatException refused) {
        assertThat(refused.code()).isIn(ErrorCode.INVALID, ErrorCode.TOO_LARGE);
        assertThat(refused.getMessage()).isNotBlank();
    }
}
