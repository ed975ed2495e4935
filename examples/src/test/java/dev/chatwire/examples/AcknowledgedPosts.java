package dev.chatwire.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import org.bson.Document;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sending half of a workload and its checker's first rule: posts over REST with a {@code clientMessageId},
 * retried with the same id until a node acknowledges it, as a careful client behind a load balancer would, and
 * every acknowledged message must then be stored once, under the seq its acknowledgement named.
 */
final class AcknowledgedPosts {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final int maxTries;
    private final Map<String, JsonNode> acknowledged = new ConcurrentHashMap<>();
    private final AtomicInteger refusals = new AtomicInteger();

    /** @param maxTries how many times one message is posted before the workload fails */
    AcknowledgedPosts(int maxTries) {
        this.maxTries = maxTries;
    }

    /**
     * Posts until acknowledged; try {@code k} goes to {@code senders.get(k % senders.size())}, the same user on
     * another node, so that a dead node costs a retry and not the message.
     */
    JsonNode post(List<ChatClient> senders, String chatId, String clientMessageId) throws Exception {
        String body = JSON.writeValueAsString(Map.of("chatId", chatId, "text", clientMessageId,
                "clientMessageId", clientMessageId));
        StringBuilder failures = new StringBuilder();
        for (int attempt = 0; attempt < maxTries; attempt++) {
            ChatClient sender = senders.get(attempt % senders.size());
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(sender.uri("/api/messages"))
                                .header("Authorization", "Bearer " + sender.token())
                                .header("Content-Type", "application/json")
                                .timeout(Duration.ofSeconds(30))
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 201) {
                    JsonNode message = JSON.readTree(response.body()).path("messages").get(0);
                    acknowledged.put(clientMessageId, message);
                    return message;
                }
                failures.append(' ').append(response.statusCode());
            } catch (IOException e) {
                failures.append(' ').append(e);
            }
            refusals.incrementAndGet();
        }
        throw new AssertionError(clientMessageId + " was never acknowledged:" + failures);
    }

    /** How many messages were acknowledged so far. */
    int acknowledgedCount() {
        return acknowledged.size();
    }

    /** How many tries failed so far: answers other than 201, and requests that got no answer. */
    int refusalCount() {
        return refusals.get();
    }

    /**
     * The chat's seqs as MongoDB holds them, oldest first, after checking that each acknowledged message of the chat
     * is stored once, under its acknowledged seq.
     */
    List<Long> storedSeqs(String mongoUri, String database, String chatId) {
        try (MongoClient client = MongoClients.create(mongoUri)) {
            List<Document> messages = client.getDatabase(database).getCollection("messages")
                    .find(Filters.eq("chatId", chatId)).sort(Sorts.ascending("seq")).into(new ArrayList<>());
            Map<String, Long> seqByClientMessageId = new HashMap<>();
            for (Document message : messages) {
                Long earlier = seqByClientMessageId.put(message.getString("clientMessageId"),
                        message.get("seq", Number.class).longValue());
                assertThat(earlier).as("a second copy of %s", message.getString("clientMessageId")).isNull();
            }
            acknowledged.forEach((clientMessageId, message) -> {
                if (message.path("chatId").asText().equals(chatId)) {
                    assertThat(seqByClientMessageId.get(clientMessageId))
                            .as("the stored seq of acknowledged %s", clientMessageId)
                            .isEqualTo(message.path("seq").asLong());
                }
            });
            List<Long> seqs = messages.stream().map(message -> message.get("seq", Number.class).longValue()).toList();
            assertThat(seqs).as("the stored seqs of %s", chatId).doesNotHaveDuplicates().isSorted();
            return seqs;
        }
    }
}
