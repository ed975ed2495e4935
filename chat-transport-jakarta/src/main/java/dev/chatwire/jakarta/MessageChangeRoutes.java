package dev.chatwire.jakarta;

import dev.chatwire.core.ChatEngine;
import dev.chatwire.core.Message;
import dev.chatwire.core.Principal;
import dev.chatwire.core.TimelineEntry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

import static dev.chatwire.jakarta.ApiPath.ANY;

/**
 * Changes to a stored message, each an entry of its chat's timeline: {@code PATCH} (edit) and {@code DELETE
 * /chats/{id}/messages/{messageId}}, {@code PUT} and {@code DELETE /chats/{id}/messages/{messageId}/reactions/{emoji}}.
 * Each answers {@code {"message":<its new state>,"seq":<the change's seq>}}. A change is a write that reaches every
 * participant, as a send is, so it counts against the user's {@link dev.chatwire.core.ChatLimits#restSendRate()}, in
 * the same bucket as sends, checked before the body is read.
 */
final class MessageChangeRoutes implements Routes {

    private final ChatEngine engine;
    private final JsonResponses responses;
    private final RestRates rates;
    private final JsonBodies bodies;

    MessageChangeRoutes(ChatEngine engine, JsonResponses responses, RestRates rates, JsonBodies bodies) {
        this.engine = engine;
        this.responses = responses;
        this.rates = rates;
        this.bodies = bodies;
    }

    @Override
    public boolean serve(Principal user, ApiPath path, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (path.matches("chats", ANY, "messages", ANY)) {
            boolean edit = path.allow("PATCH", "DELETE").equals("PATCH");
            rates.sends.acquire(user.userId());
            if (edit) {
                bodies.read(request, response, body -> answer(response,
                        engine.editMessage(user, path.segment(1), path.segment(3), body.requiredText("text"))));
            } else {
                answer(response, engine.deleteMessage(user, path.segment(1), path.segment(3)));
            }
        } else if (path.matches("chats", ANY, "messages", ANY, "reactions", ANY)) {
            boolean active = path.allow("PUT", "DELETE").equals("PUT");
            rates.sends.acquire(user.userId());
            // The container decoded the emoji's percent-encoded UTF-8 already (ApiPath).
            answer(response, engine.react(user, path.segment(1), path.segment(3), path.segment(5), active));
        } else {
            return false;
        }
        return true;
    }

    private void answer(HttpServletResponse response, TimelineEntry change) throws IOException {
        responses.write(response, HttpServletResponse.SC_OK, new Changed(change.message(), change.seq()));
    }

    /**
     * The answer to a change.
     *
     * @param message the message's state after the change, with its own seq
     * @param seq     the change's place in the chat's timeline, as {@code message_updated} carries it
     */
    record Changed(Message message, long seq) {
    }
}
