package dev.chatwire.benchmark;

import java.util.concurrent.CompletableFuture;

/** Posting one benchmark message through {@code POST /api/messages}, as every workload does. */
final class MessagePost {

    private MessagePost() {
    }

    /**
     * Posts {@code marker}'s message to {@code chatId} as {@code sender}; a failed call or an answer other than 201
     * is counted as a problem.
     *
     * @param clientMessageId the message's idempotency key, or null for none
     * @return completes, never exceptionally, with whether the server stored the message (answered 201)
     */
    static CompletableFuture<Boolean> send(LoadClient client, String sender, String chatId, Marker marker,
                                           int textLength, String clientMessageId, Problems problems) {
        String body = "{\"chatId\":\"" + chatId + "\",\"text\":\"" + marker.text(textLength) + "\""
                + (clientMessageId == null ? "" : ",\"clientMessageId\":\"" + clientMessageId + "\"") + "}";
        return client.post("/api/messages", sender, body).handle((response, failure) -> {
            if (failure != null || response.status() != 201) {
                problems.add("POST /api/messages #" + marker.message() + " to " + chatId + " failed: "
                        + (failure != null ? failure : response.status() + " " + response.body()));
                return false;
            }
            return true;
        });
    }
}
