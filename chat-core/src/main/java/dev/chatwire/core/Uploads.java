package dev.chatwire.core;

import dev.chatwire.core.spi.MediaTooLargeException;
import dev.chatwire.core.spi.MessageStore.Appended;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.chatwire.core.RequestFailures.guarded;

/**
 * Sends with files: every file sniffed, size-checked and stored before any message, and cleaned up on failure.
 *
 * <p>With a per-user quota ({@link ChatLimits#maxStoredBytesPerUser()}), the media store is asked once per send how
 * many bytes the sender has stored, and each file may take at most what is left: the store stops reading a file
 * past that, stores none of it, and the send is refused with {@code too_large}. A file the sender's deleted message
 * named gives its bytes back, as the store no longer counts them.
 */
final class Uploads {

    private static final Logger log = LoggerFactory.getLogger(Uploads.class);
    private static final int SNIFF_BUFFER_BYTES = 64 * 1024;

    private final EngineParts parts;
    private final TimelinePublisher timeline;
    private final ChatRequests requests;
    private final MediaSniffer sniffer = new MediaSniffer();

    Uploads(EngineParts parts, TimelinePublisher timeline, ChatRequests requests) {
        this.parts = parts;
        this.timeline = timeline;
        this.requests = requests;
    }

    /** See {@link ChatEngine#send(Principal, String, String, String, List)}. */
    List<Message> send(Principal sender, String chatId, String text, String clientMessageId, List<Upload> uploads) {
        InputRules.requireClientMessageId(clientMessageId);
        String body = text == null || text.isBlank() ? null : text;
        if (uploads.isEmpty()) {
            return List.of(requests.sendText(sender, chatId, body, clientMessageId, json -> { }));
        }
        requests.checkText(body, true);
        ChatLimits limits = parts.limits();
        if (uploads.size() > limits.maxAttachments()) {
            throw new ChatException(ErrorCode.TOO_LARGE, "at most " + limits.maxAttachments() + " files per send");
        }
        return guarded(() -> {
            Chat chat = requests.requireParticipantAccepting(sender, chatId);
            Instant now = parts.now();
            List<MessageDraft> drafts = new ArrayList<>();
            if (body != null) {
                drafts.add(MessageDraft.text(chatId, sender.userId(), requests.reviewText(sender, chat, body),
                        clientMessageId, now));
            }
            List<MediaInfo> stored = storeUploads(sender, chatId, uploads, now);
            for (int i = 0; i < stored.size(); i++) {
                MediaInfo info = stored.get(i);
                String key = clientMessageId == null ? null : clientMessageId + "#" + (i + 1);
                drafts.add(new MessageDraft(chatId, sender.userId(), MessageType.forMediaType(info.mimeType()), null,
                        Attachment.of(info), key, now));
            }
            List<Message> sent = new ArrayList<>();
            try {
                for (MessageDraft draft : drafts) {
                    Appended appended = timeline.append(draft, json -> { });
                    if (!appended.created() && draft.attachment() != null) {
                        parts.media().delete(draft.attachment().mediaId());
                    }
                    sent.add(appended.message());
                }
            } catch (RuntimeException e) {
                stored.subList(Math.max(0, sent.size() - (body == null ? 0 : 1)), stored.size())
                        .forEach(info -> deleteQuietly(info.id()));
                throw e;
            }
            return sent;
        });
    }

    private List<MediaInfo> storeUploads(Principal sender, String chatId, List<Upload> uploads, Instant now) {
        ChatLimits limits = parts.limits();
        List<MediaInfo> stored = new ArrayList<>();
        long quotaLeft = quotaLeft(sender);
        try {
            for (Upload upload : uploads) {
                if (quotaLeft <= 0) {
                    throw quotaUsedUp();
                }
                InputStream content = new BufferedInputStream(upload.content(), SNIFF_BUFFER_BYTES);
                String mimeType = sniffer.detect(content);
                if (!limits.allowsMediaType(mimeType)) {
                    throw new ChatException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                            "files of type " + mimeType + " are not accepted");
                }
                MediaUpload info = new MediaUpload(chatId, sender.userId(), InputRules.cleanFileName(upload.name()),
                        mimeType, now);
                MediaInfo put = parts.media().put(info, content, Math.min(limits.maxUploadBytes(), quotaLeft));
                stored.add(put);
                quotaLeft -= put.size();
            }
            if (parts.limits().maxStoredBytesPerUser() != Long.MAX_VALUE && quotaLeft(sender) < 0) {
                // Read again once stored: other sends of this user, here or on other nodes, saw the same space left;
                // a send that finds the total over the quota gives its files back.
                throw quotaUsedUp();
            }
            return stored;
        } catch (MediaTooLargeException e) {
            stored.forEach(info -> deleteQuietly(info.id()));
            if (quotaLeft < limits.maxUploadBytes()) {
                throw quotaUsedUp();
            }
            throw new ChatException(ErrorCode.TOO_LARGE, "a file is larger than " + limits.maxUploadBytes() + " bytes");
        } catch (RuntimeException e) {
            stored.forEach(info -> deleteQuietly(info.id()));
            throw e;
        }
    }

    /** The bytes the sender may still store, or {@link Long#MAX_VALUE} when there is no quota (the store not asked). */
    private long quotaLeft(Principal sender) {
        long quota = parts.limits().maxStoredBytesPerUser();
        if (quota == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        return quota - parts.media().bytesStoredBy(sender.userId());
    }

    private ChatException quotaUsedUp() {
        return new ChatException(ErrorCode.TOO_LARGE, "the files would exceed your storage quota of "
                + parts.limits().maxStoredBytesPerUser() + " bytes; delete some to make room");
    }

    private void deleteQuietly(String mediaId) {
        try {
            parts.media().delete(mediaId);
        } catch (RuntimeException e) {
            log.warn("could not delete orphaned media {}", mediaId, e);
        }
    }
}
