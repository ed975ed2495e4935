package dev.chatwire.mongo;

import dev.chatwire.core.Message;
import dev.chatwire.core.MessageDraft;
import dev.chatwire.core.spi.MessageStore.Appended;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The results of one {@code appendAll} as they come in. A draft that repeats the idempotency key of an earlier draft
 * of the same batch is not sent to the server: it gets the earlier draft's message, as a retry would.
 */
final class BatchResults {

    private final Appended[] results;
    /** For each draft, the index of the first draft of the batch with its key; its own index when it is the first. */
    private final int[] firstWithKey;

    BatchResults(List<MessageDraft> drafts) {
        this.results = new Appended[drafts.size()];
        this.firstWithKey = new int[drafts.size()];
        Map<List<String>, Integer> firstByKey = new HashMap<>();
        for (int i = 0; i < drafts.size(); i++) {
            MessageDraft draft = drafts.get(i);
            Integer first = draft.clientMessageId() == null ? null
                    : firstByKey.putIfAbsent(List.of(draft.senderId(), draft.clientMessageId()), i);
            firstWithKey[i] = first == null ? i : first;
        }
    }

    /** The indexes of the drafts to store, in order: every draft but the repeats. */
    List<Integer> firstOfEachKey() {
        List<Integer> firsts = new ArrayList<>();
        for (int i = 0; i < firstWithKey.length; i++) {
            if (firstWithKey[i] == i) {
                firsts.add(i);
            }
        }
        return firsts;
    }

    /** The draft at {@code index} was stored by this call as {@code message}. */
    void created(int index, Message message) {
        results[index] = new Appended(message, true);
    }

    /** The draft at {@code index} was stored by an earlier try as {@code message}. */
    void found(int index, Message message) {
        results[index] = new Appended(message, false);
    }

    /** One result per draft, repeats answered with their first draft's message. */
    List<Appended> all() {
        Appended[] all = Arrays.copyOf(results, results.length);
        for (int i = 0; i < all.length; i++) {
            if (firstWithKey[i] != i) {
                all[i] = new Appended(results[firstWithKey[i]].message(), false);
            }
        }
        return List.of(all);
    }
}
