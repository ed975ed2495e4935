package dev.chatwire.jakarta;

import dev.chatwire.core.ChatEngine;
import dev.chatwire.core.ChatException;
import dev.chatwire.core.ErrorCode;
import dev.chatwire.core.HistoryQuery;
import dev.chatwire.core.Message;
import dev.chatwire.core.Principal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.chatwire.jakarta.ApiPath.ANY;

/**
 * Sending and reading messages: {@code POST /messages}, and {@code GET} and {@code POST /chats/{id}/messages} (JSON,
 * or multipart with files). Each send is checked against the user's rate before its body is read; a send to the
 * chat in the path is checked against the membership too.
 */
final class MessageRoutes implements Routes {

    private final ChatEngine engine;
    private final JsonResponses responses;
    private final RestRates rates;
    private final JsonBodies bodies;
    private final long maxFieldBytes;
    private final long maxMultipartBytes;
    private final int maxParts;

    /**
     * @param maxFieldBytes the longest text field of a multipart send, as long as a JSON send's whole body
     */
    MessageRoutes(ChatEngine engine, JsonResponses responses, RestRates rates, JsonBodies bodies,
                  long maxFieldBytes, long maxMultipartBytes, int maxParts) {
        this.engine = engine;
        this.responses = responses;
        this.rates = rates;
        this.bodies = bodies;
        this.maxFieldBytes = maxFieldBytes;
        this.maxMultipartBytes = maxMultipartBytes;
        this.maxParts = maxParts;
    }

    @Override
    public boolean serve(Principal user, ApiPath path, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (path.matches("messages")) {
            path.allow("POST");
            postMessages(user, request, response);
        } else if (path.matches("chats", ANY, "messages")) {
            if (path.allow("GET", "POST").equals("GET")) {
                List<Message> page = engine.history(user, path.segment(1), historyQuery(request));
                responses.write(response, HttpServletResponse.SC_OK, Map.of("messages", page));
            } else {
                postToChat(user, path.segment(1), request, response);
            }
        } else {
            return false;
        }
        return true;
    }

    private void postMessages(Principal user, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String type = JsonBody.mediaType(request.getContentType());
        if (type.equals("multipart/form-data")) {
            // Its chat id would be in the body, which the container parses whole before the membership is known.
            throw new ChatException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "files go to POST /api/chats/{chatId}/messages; this route takes application/json");
        }
        rates.sends.acquire(user.userId());
        bodies.read(request, response, body -> sendText(user, body.requiredText("chatId"), body, response));
    }

    /** A send to the chat in the path: refused on the token, the membership or the rate before the body is read. */
    private void postToChat(Principal user, String chatId, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String type = JsonBody.mediaType(request.getContentType());
        boolean multipart = type.equals("multipart/form-data");
        if (!multipart && !JsonBody.isJson(type)) {
            throw new ChatException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "send application/json or multipart/form-data");
        }
        (multipart ? rates.uploads : rates.sends).acquire(user.userId());
        engine.chat(user, chatId);
        if (!multipart) {
            bodies.read(request, response, body -> sendText(user, chatId, body, response));
            return;
        }
        List<Message> sent;
        try (MultipartSend form = MultipartSend.read(request, maxMultipartBytes, maxParts, maxFieldBytes)) {
            if (form.chatId != null && !form.chatId.equals(chatId)) {
                throw new ChatException(ErrorCode.INVALID, "the body's chatId is not the path's");
            }
            sent = engine.send(user, chatId, form.text, form.clientMessageId, form.uploads);
        }
        responses.write(response, HttpServletResponse.SC_CREATED, Map.of("messages", sent));
    }

    private void sendText(Principal user, String chatId, JsonBody body, HttpServletResponse response)
            throws IOException {
        // The engine serialized the message for the room already: the answer reuses that text.
        List<String> sent = new ArrayList<>(1);
        engine.send(user, chatId, body.requiredText("text"), body.text("clientMessageId"), sent::add);
        JsonResponses.write(response, HttpServletResponse.SC_CREATED,
                engine.codec().messagesBody(sent).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code ?after=} when given, else {@code ?before=}, else the newest page; {@code ?limit=} on any of them. */
    private static HistoryQuery historyQuery(HttpServletRequest request) {
        Long after = QueryParameters.longValue(request, "after");
        Long before = QueryParameters.longValue(request, "before");
        HistoryQuery query = after != null ? HistoryQuery.after(after)
                : before != null ? HistoryQuery.before(before) : HistoryQuery.newest();
        Integer limit = QueryParameters.intValue(request, "limit");
        return limit == null ? query : query.limit(limit);
    }
}
