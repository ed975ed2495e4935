package dev.chatwire.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The bare server's REST API: {@code POST /api/chats} and {@code POST /api/messages} with Chatwire's request and
 * response shapes, trusting the bearer token's {@code sub} without checking its signature, storing nothing. Any other
 * method gets the servlet's default answer: the benchmark's readiness probe, {@code GET /api/ready}, gets a 405.
 */
final class BareApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final String BEARER = "Bearer ";

    private final transient BareRooms rooms;

    BareApiServlet(BareRooms rooms) {
        this.rooms = rooms;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String header = request.getHeader("Authorization");
        String userId = header == null || !header.startsWith(BEARER) ? null
                : BareRooms.subject(header.substring(BEARER.length()).trim());
        if (userId == null) {
            writeJson(response, HttpServletResponse.SC_UNAUTHORIZED, error("unauthorized", "no token"));
            return;
        }
        JsonNode body = rooms.mapper.readTree(request.getInputStream());
        String path = request.getPathInfo();
        if ("/messages".equals(path)) {
            String message = rooms.publish(body.path("chatId").asText(""), userId, body.path("text").asText(""),
                    body.path("clientMessageId").asText(null), null);
            if (message == null) {
                writeJson(response, HttpServletResponse.SC_FORBIDDEN, error("forbidden", "no such chat"));
            } else {
                writeJson(response, HttpServletResponse.SC_CREATED, "{\"messages\":[" + message + "]}");
            }
        } else if ("/chats".equals(path)) {
            List<String> participants = new ArrayList<>();
            body.path("participants").forEach(node -> participants.add(node.asText()));
            writeJson(response, HttpServletResponse.SC_CREATED,
                    "{\"chat\":" + rooms.createChat(userId, participants, body.path("name").asText(null)) + "}");
        } else {
            writeJson(response, HttpServletResponse.SC_NOT_FOUND, error("not_found", "no such endpoint"));
        }
    }

    private static String error(String code, String message) {
        return "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}}";
    }

    private static void writeJson(HttpServletResponse response, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
