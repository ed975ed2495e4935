package dev.chatwire.core;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static dev.chatwire.core.EngineFixture.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChatEngineUploadTest {

    private final EngineFixture fixture = new EngineFixture(ChatLimits.defaults().toBuilder()
            .maxUploadBytes(50_000).build());
    private final ChatEngine engine = fixture.engine;

    @AfterEach
    void close() {
        fixture.close();
    }

    static byte[] png() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "png", out);
        return out.toByteArray();
    }

    private static Upload upload(String name, byte[] bytes) {
        return new Upload(name, new ByteArrayInputStream(bytes));
    }

    @Test
    void textAndFilesBecomeSeparateMessagesTypedByTheirBytes() throws IOException {
        Chat chat = fixture.chat("alice", "bob");
        FakeConnection bob = fixture.connect("bob");
        byte[] image = png();
        byte[] pdf = "%PDF-1.4\n%\u00e2\u00e3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
                .getBytes(StandardCharsets.ISO_8859_1);

        List<Message> sent = engine.send(user("alice"), chat.id(), "look", "c1",
                List.of(upload("not-really.txt", image), upload("doc.bin", pdf)));

        assertThat(sent).extracting(Message::type)
                .containsExactly(MessageType.TEXT, MessageType.IMAGE, MessageType.FILE);
        assertThat(sent).extracting(Message::seq).containsExactly(1L, 2L, 3L);
        Attachment attachment = sent.get(1).attachment();
        assertThat(attachment.mimeType()).isEqualTo("image/png");
        assertThat(attachment.size()).isEqualTo(image.length);
        assertThat(attachment.name()).isEqualTo("not-really.txt");
        assertThat(sent.get(2).attachment().mimeType()).isEqualTo("application/pdf");
        MediaDownload download = engine.openMedia(user("bob"), attachment.mediaId());
        try (InputStream content = download.content()) {
            assertThat(content.readAllBytes()).isEqualTo(image);
        }
        assertThat(download.info().chatId()).isEqualTo(chat.id());
        bob.awaitFrame("new_message", f -> f.path("message").path("type").asText().equals("image")
                && f.path("message").path("attachment").path("url").asText().equals("/api/media/"
                + attachment.mediaId()));
    }

    @Test
    void fileNamesLoseBidiControlsControlCharactersAndUnpairedSurrogates() throws IOException {
        Chat chat = fixture.chat("alice", "bob");
        byte[] image = png();

        List<Message> sent = engine.send(user("alice"), chat.id(), null, null, List.of(
                upload("invoice\u202Egnp.exe", image), upload("a\u2066b\u200Fc\u0000d\uD800e\n.png", image),
                upload("\u202E\u0007", image), upload("zoë 😀\u200D.png", image)));

        assertThat(sent).extracting(message -> message.attachment().name())
                .containsExactly("invoicegnp.exe", "abcde.png", null, "zoë 😀\u200D.png");
        assertThat(engine.openMedia(user("bob"), sent.get(0).attachment().mediaId()).info().name())
                .isEqualTo("invoicegnp.exe");
    }

    @Test
    void aRetriedUploadReturnsTheOriginalMessagesAndKeepsNoSecondCopy() throws IOException {
        Chat chat = fixture.chat("alice", "bob");
        byte[] image = png();
        List<Message> first = engine.send(user("alice"), chat.id(), null, "up-1", List.of(upload("a.png", image)));
        List<Message> retry = engine.send(user("alice"), chat.id(), null, "up-1", List.of(upload("a.png", image)));

        assertThat(retry).isEqualTo(first);
        assertThat(fixture.messages.lastSeq(chat.id())).isEqualTo(1);
    }

    @Test
    void scriptsDisguisedAsImagesAreRefusedAndNothingIsStored() {
        Chat chat = fixture.chat("alice", "bob");
        byte[] svg = ("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\">"
                + "<script>alert(1)</script></svg>").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> engine.send(user("alice"), chat.id(), "pic", null, List.of(upload("cat.png", svg))))
                .isInstanceOfSatisfying(ChatException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_MEDIA_TYPE));
        assertThat(fixture.messages.lastSeq(chat.id())).isZero();
    }

    @Test
    void aFileOverTheLimitIsRefusedAndNoPartOfTheSendIsStored() throws IOException {
        Chat chat = fixture.chat("alice", "bob");
        byte[] huge = new byte[60_000];
        byte[] header = png();
        System.arraycopy(header, 0, huge, 0, header.length);
        RecordingMediaStore media = new RecordingMediaStore(fixture.media);

        try (ChatEngine recording = fixture.builder().mediaStore(media)
                .limits(ChatLimits.defaults().toBuilder().maxUploadBytes(50_000).build()).build()) {
            assertThatThrownBy(() -> recording.send(user("alice"), chat.id(), "two files", null,
                    List.of(upload("ok.png", png()), upload("huge.png", huge))))
                    .isInstanceOfSatisfying(ChatException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE));
        }
        assertThat(fixture.messages.lastSeq(chat.id())).isZero();
        assertThat(media.stored).as("the first file was stored").hasSize(1);
        assertThat(media.stored).allSatisfy(id -> assertThat(fixture.media.find(id)).as("then removed").isEmpty());
    }

    @Test
    void anUploadOverTheSendersQuotaIsRefusedUnstoredAndDeletingAMessageGivesItsBytesBack() throws IOException {
        Chat chat = fixture.chat("alice", "bob");
        byte[] image = png();
        RecordingMediaStore media = new RecordingMediaStore(fixture.media);
        long quota = 2L * image.length + 10;

        try (ChatEngine quoted = fixture.builder().mediaStore(media)
                .limits(ChatLimits.defaults().toBuilder().maxUploadBytes(50_000).maxStoredBytesPerUser(quota).build())
                .build()) {
            List<Message> first = quoted.send(user("alice"), chat.id(), null, null,
                    List.of(upload("1.png", image), upload("2.png", image)));
            assertThat(fixture.media.bytesStoredBy("alice")).isEqualTo(2L * image.length);

            assertThatThrownBy(() -> quoted.send(user("alice"), chat.id(), "one more", null,
                    List.of(upload("3.png", image))))
                    .isInstanceOfSatisfying(ChatException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE);
                        assertThat(e.getMessage()).contains("storage quota of " + quota + " bytes");
                    });
            assertThat(media.puts).as("the store was asked, with what was left as its limit").hasValue(3);
            assertThat(media.stored).as("and kept nothing of the refused file").hasSize(2);
            assertThat(fixture.media.bytesStoredBy("alice")).isEqualTo(2L * image.length);
            assertThat(fixture.messages.lastSeq(chat.id())).isEqualTo(2);
            assertThat(quoted.send(user("bob"), chat.id(), null, null, List.of(upload("b.png", image))))
                    .as("the quota is each user's own").hasSize(1);

            quoted.deleteMessage(user("alice"), chat.id(), first.get(0).id());

            assertThat(fixture.media.bytesStoredBy("alice")).isEqualTo(image.length);
            assertThat(quoted.send(user("alice"), chat.id(), null, null, List.of(upload("3.png", image))))
                    .hasSize(1);
        }
    }

    @Test
    void twoSendsOfOneUserAtOnceDoNotTogetherPassTheQuota() throws IOException {
        Chat chat = fixture.chat("alice", "bob");
        byte[] image = png();
        RecordingMediaStore media = new RecordingMediaStore(fixture.media);
        // Another send of alice's stores a file while this one is between its quota check and its own store.
        media.alongsidePut = () -> {
            media.alongsidePut = () -> { };
            fixture.media.put(new MediaUpload(chat.id(), "alice", "other.png", "image/png", Instant.now()),
                    new ByteArrayInputStream(image), image.length);
        };

        try (ChatEngine quoted = fixture.builder().mediaStore(media)
                .limits(ChatLimits.defaults().toBuilder().maxStoredBytesPerUser(image.length + 10).build()).build()) {
            assertThatThrownBy(() -> quoted.send(user("alice"), chat.id(), null, null,
                    List.of(upload("1.png", image))))
                    .isInstanceOfSatisfying(ChatException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE));
        }

        assertThat(fixture.media.bytesStoredBy("alice")).as("only the other send's file is kept")
                .isEqualTo(image.length);
        assertThat(fixture.messages.lastSeq(chat.id())).isZero();
    }

    @Test
    void aUserWhoseQuotaIsUsedUpIsRefusedBeforeTheStoreReadsAnything() throws IOException {
        Chat chat = fixture.chat("alice", "bob");
        byte[] image = png();
        RecordingMediaStore media = new RecordingMediaStore(fixture.media);

        try (ChatEngine quoted = fixture.builder().mediaStore(media)
                .limits(ChatLimits.defaults().toBuilder().maxStoredBytesPerUser(image.length).build()).build()) {
            quoted.send(user("alice"), chat.id(), null, null, List.of(upload("1.png", image)));
            int putsBefore = media.puts.get();

            assertThatThrownBy(() -> quoted.send(user("alice"), chat.id(), null, null,
                    List.of(upload("2.png", image))))
                    .isInstanceOfSatisfying(ChatException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE));
            assertThat(media.puts).as("the store was not asked to store").hasValue(putsBefore);
        }
    }

    /** Remembers the ids it stored. */
    private static final class RecordingMediaStore implements dev.chatwire.core.spi.MediaStore {
        private final dev.chatwire.core.spi.MediaStore delegate;
        final List<String> stored = new java.util.concurrent.CopyOnWriteArrayList<>();
        final java.util.concurrent.atomic.AtomicInteger puts = new java.util.concurrent.atomic.AtomicInteger();

        RecordingMediaStore(dev.chatwire.core.spi.MediaStore delegate) {
            this.delegate = delegate;
        }

        /** Runs before each store, as another send of the user would on another node at that moment. */
        volatile Runnable alongsidePut = () -> { };

        @Override
        public MediaInfo put(MediaUpload upload, InputStream content, long maxBytes) {
            puts.incrementAndGet();
            alongsidePut.run();
            MediaInfo info = delegate.put(upload, content, maxBytes);
            stored.add(info.id());
            return info;
        }

        @Override
        public java.util.Optional<MediaInfo> find(String mediaId) {
            return delegate.find(mediaId);
        }

        @Override
        public java.util.Optional<InputStream> open(String mediaId) {
            return delegate.open(mediaId);
        }

        @Override
        public boolean delete(String mediaId) {
            return delegate.delete(mediaId);
        }

        @Override
        public long bytesStoredBy(String ownerId) {
            return delegate.bytesStoredBy(ownerId);
        }
    }

    @Test
    void onlyParticipantsCanFetchMediaAndStrangersCannotTellItExists() throws IOException {
        Chat chat = fixture.chat("alice", "bob");
        Message sent = engine.send(user("alice"), chat.id(), null, null, List.of(upload("a.png", png()))).get(0);

        assertThatThrownBy(() -> engine.openMedia(user("eve"), sent.attachment().mediaId()))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> engine.openMedia(user("eve"), "no-such-media"))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void tooManyFilesInOneSendAreRefused() throws IOException {
        Chat chat = fixture.chat("alice", "bob");
        byte[] image = png();
        List<Upload> eleven = java.util.stream.IntStream.range(0, 11).mapToObj(i -> upload(i + ".png", image)).toList();
        assertThatThrownBy(() -> engine.send(user("alice"), chat.id(), null, null, eleven))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE));
        assertThat(fixture.messages.lastSeq(chat.id())).isZero();
    }
}
