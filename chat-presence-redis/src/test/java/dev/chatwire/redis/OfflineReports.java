package dev.chatwire.redis;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Records what an {@code onExpired} listener is told. */
final class OfflineReports implements Consumer<Set<String>> {

    private final List<String> users = new CopyOnWriteArrayList<>();

    @Override
    public void accept(Set<String> wentOffline) {
        users.addAll(wentOffline);
    }

    /** Every reported user, once per report. */
    List<String> users() {
        return List.copyOf(users);
    }
}
