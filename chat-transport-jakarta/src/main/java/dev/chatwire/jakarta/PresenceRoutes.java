package dev.chatwire.jakarta;

import dev.chatwire.core.ChatEngine;
import dev.chatwire.core.ChatException;
import dev.chatwire.core.ErrorCode;
import dev.chatwire.core.Principal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** {@code GET /presence?users=a,b}: whether each user is online, as far as the asking user may see. */
final class PresenceRoutes implements Routes {

    private final ChatEngine engine;
    private final JsonResponses responses;

    PresenceRoutes(ChatEngine engine, JsonResponses responses) {
        this.engine = engine;
        this.responses = responses;
    }

    @Override
    public boolean serve(Principal user, ApiPath path, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (!path.matches("presence")) {
            return false;
        }
        path.allow("GET");
        responses.write(response, HttpServletResponse.SC_OK, Map.of("presence", engine.presence(user, users(request))));
        return true;
    }

    private static List<String> users(HttpServletRequest request) {
        String users = request.getParameter("users");
        List<String> ids = users == null ? List.of() : Arrays.stream(users.split(","))
                .map(String::trim).filter(id -> !id.isEmpty()).distinct().toList();
        if (ids.isEmpty()) {
            throw new ChatException(ErrorCode.INVALID, "missing query parameter 'users'");
        }
        return ids;
    }
}
