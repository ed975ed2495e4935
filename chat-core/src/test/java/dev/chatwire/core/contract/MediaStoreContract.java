package dev.chatwire.core.contract;

import dev.chatwire.core.MediaInfo;
import dev.chatwire.core.MediaUpload;
import dev.chatwire.core.spi.MediaStore;
import dev.chatwire.core.spi.MediaTooLargeException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The behaviour every {@link MediaStore} must have. Extend it and return a fresh, isolated store. */
public abstract class MediaStoreContract {

    /** A new store that shares no data with any other test's store. */
    protected abstract MediaStore newStore();

    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05.678Z");

    private MediaStore store;

    @BeforeEach
    void freshStore() {
        store = newStore();
    }

    private static byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private MediaInfo put(byte[] content, long maxBytes) {
        return store.put(new MediaUpload("chat-1", "alice", "photo.png", "image/png", T0),
                new ByteArrayInputStream(content), maxBytes);
    }

    private byte[] read(String id) throws IOException {
        try (InputStream in = store.open(id).orElseThrow()) {
            return in.readAllBytes();
        }
    }

    @Test
    void storedBytesReadBackExactlyWithTheirInfo() throws IOException {
        byte[] content = bytes(300_000);

        MediaInfo info = put(content, 1_000_000);

        assertThat(info.id()).isNotBlank();
        assertThat(info.size()).isEqualTo(content.length);
        assertThat(info.chatId()).isEqualTo("chat-1");
        assertThat(info.ownerId()).isEqualTo("alice");
        assertThat(info.name()).isEqualTo("photo.png");
        assertThat(info.mimeType()).isEqualTo("image/png");
        assertThat(store.find(info.id())).contains(info);
        assertThat(read(info.id())).isEqualTo(content);
    }

    @Test
    void contentExactlyAtTheLimitIsStored() throws IOException {
        byte[] content = bytes(1024);
        MediaInfo info = put(content, 1024);
        assertThat(read(info.id())).isEqualTo(content);
    }

    @Test
    void emptyContentIsStored() throws IOException {
        MediaInfo info = put(new byte[0], 10);
        assertThat(info.size()).isZero();
        assertThat(read(info.id())).isEmpty();
    }

    @Test
    void contentOverTheLimitIsRefusedAndNothingIsStored() {
        assertThatThrownBy(() -> put(bytes(1025), 1024)).isInstanceOf(MediaTooLargeException.class);
        MediaInfo after = put(bytes(10), 1024);
        assertThat(store.find(after.id())).isPresent();
    }

    @Test
    void unknownAndMalformedIdsFindNothing() {
        put(bytes(10), 100);
        assertThat(store.find("no-such-media")).isEmpty();
        assertThat(store.open("no-such-media")).isEmpty();
        assertThat(store.find("{\"$gt\":\"\"}")).isEmpty();
        assertThat(store.delete("no-such-media")).isFalse();
    }

    private MediaInfo putAs(String ownerId, byte[] content, long maxBytes) {
        return store.put(new MediaUpload("chat-1", ownerId, "file.bin", "application/zip", T0),
                new ByteArrayInputStream(content), maxBytes);
    }

    @Test
    void bytesStoredByAnUploaderAddUpPerUploaderAndDeletionGivesThemBack() {
        assertThat(store.bytesStoredBy("alice")).isZero();
        MediaInfo first = putAs("alice", bytes(300_000), 1_000_000);
        MediaInfo second = putAs("alice", bytes(1000), 1_000_000);
        putAs("bob", bytes(70), 1_000_000);
        putAs("alice", new byte[0], 10);

        assertThat(store.bytesStoredBy("alice")).isEqualTo(301_000);
        assertThat(store.bytesStoredBy("bob")).isEqualTo(70);
        assertThat(store.bytesStoredBy("carol")).isZero();

        store.delete(first.id());
        assertThat(store.bytesStoredBy("alice")).isEqualTo(1000);
        store.delete(first.id());
        assertThat(store.bytesStoredBy("alice")).isEqualTo(1000);
        store.delete(second.id());
        assertThat(store.bytesStoredBy("alice")).isZero();
        assertThat(store.bytesStoredBy("bob")).isEqualTo(70);
    }

    @Test
    void aRefusedUploadAddsNothingToItsUploadersBytes() {
        putAs("alice", bytes(100), 1000);
        assertThatThrownBy(() -> putAs("alice", bytes(1025), 1024)).isInstanceOf(MediaTooLargeException.class);
        assertThat(store.bytesStoredBy("alice")).isEqualTo(100);
    }

    @Test
    void uploaderIdsThatLookLikeQueryOperatorsCountOnlyTheirOwnBytes() {
        putAs("alice", bytes(10), 100);
        putAs("{\"$ne\":\"\"}", bytes(3), 100);
        assertThat(store.bytesStoredBy("{\"$ne\":\"\"}")).isEqualTo(3);
        assertThat(store.bytesStoredBy("{\"$gt\":\"\"}")).isZero();
    }

    @Test
    void deletedMediaIsGone() {
        MediaInfo info = put(bytes(10), 100);
        assertThat(store.delete(info.id())).isTrue();
        assertThat(store.find(info.id())).isEmpty();
        assertThat(store.open(info.id())).isEmpty();
        assertThat(store.delete(info.id())).isFalse();
    }
}
