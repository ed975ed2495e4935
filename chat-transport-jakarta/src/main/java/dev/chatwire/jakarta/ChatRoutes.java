package dev.chatwire.jakarta;

import dev.chatwire.core.ChatEngine;
import dev.chatwire.core.Principal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Map;

import static dev.chatwire.jakarta.ApiPath.ANY;

/**
 * Chats and who is in them: the chat list ({@code GET /chats}, a page at a time, newest activity first), creating a
 * chat ({@code POST /chats}), read marks ({@code POST /chats/{id}/read}), the participants and the admins. Chat
 * creations are checked against the user's rate before the body is read.
 */
final class ChatRoutes implements Routes {

    private final ChatEngine engine;
    private final JsonResponses responses;
    private final RestRates rates;
    private final JsonBodies bodies;

    ChatRoutes(ChatEngine engine, JsonResponses responses, RestRates rates, JsonBodies bodies) {
        this.engine = engine;
        this.responses = responses;
        this.rates = rates;
        this.bodies = bodies;
    }

    @Override
    public boolean serve(Principal user, ApiPath path, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (path.matches("chats")) {
            if (path.allow("GET", "POST").equals("GET")) {
                responses.write(response, HttpServletResponse.SC_OK, chatList(user, request));
            } else {
                rates.chatCreations.acquire(user.userId());
                bodies.read(request, response, body -> responses.write(response, HttpServletResponse.SC_CREATED,
                        Map.of("chat", engine.createChat(user, body.texts("participants"), body.text("name")))));
            }
        } else if (path.matches("chats", ANY, "read")) {
            path.allow("POST");
            String chatId = path.segment(1);
            bodies.read(request, response, body -> responses.write(response, HttpServletResponse.SC_OK,
                    new ReadAnswer(chatId, engine.markRead(user, chatId, body.requiredLong("seq")))));
        } else if (path.matches("chats", ANY, "participants")) {
            path.allow("POST");
            bodies.read(request, response, body -> responses.write(response, HttpServletResponse.SC_OK,
                    Map.of("chat", engine.addParticipant(user, path.segment(1), body.requiredText("userId")))));
        } else if (path.matches("chats", ANY, "participants", ANY)) {
            path.allow("DELETE");
            responses.write(response, HttpServletResponse.SC_OK,
                    Map.of("chat", engine.removeParticipant(user, path.segment(1), path.segment(3))));
        } else if (path.matches("chats", ANY, "admins", ANY)) {
            boolean admin = path.allow("PUT", "DELETE").equals("PUT");
            responses.write(response, HttpServletResponse.SC_OK,
                    Map.of("chat", engine.setAdmin(user, path.segment(1), path.segment(3), admin)));
        } else {
            return false;
        }
        return true;
    }

    /** A page of the chat list: {@code ?before=<cursor>&limit=}, the limit the history's page size unless given. */
    private ChatListBody chatList(Principal user, HttpServletRequest request) {
        Integer limit = QueryParameters.intValue(request, "limit");
        return ChatListBody.of(engine.chatList(user, QueryParameters.text(request, "before"),
                limit == null ? engine.limits().maxHistoryPage() : limit));
    }

    /**
     * The answer to a read mark.
     *
     * @param chatId   the chat
     * @param lastRead the user's read seq as stored: the mark, or a higher one stored before, never past the newest
     */
    record ReadAnswer(String chatId, long lastRead) {
    }
}
