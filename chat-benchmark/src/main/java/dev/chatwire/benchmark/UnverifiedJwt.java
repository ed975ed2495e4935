package dev.chatwire.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.Base64;

/** Reads the {@code sub} claim of a JWT without checking its signature: the bare server trusts everyone. */
final class UnverifiedJwt {

    private UnverifiedJwt() {
    }

    /**
     * The subject of a token, or null if the token is not a JWT with a string {@code sub}.
     *
     * @param mapper used to read the payload
     */
    static String subject(String token, ObjectMapper mapper) {
        if (token == null) {
            return null;
        }
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (second < 0) {
            return null;
        }
        try {
            byte[] payload = Base64.getUrlDecoder().decode(token.substring(first + 1, second));
            JsonNode sub = mapper.readTree(payload).get("sub");
            return sub != null && sub.isTextual() ? sub.textValue() : null;
        } catch (IllegalArgumentException | IOException e) {
            return null;
        }
    }
}
