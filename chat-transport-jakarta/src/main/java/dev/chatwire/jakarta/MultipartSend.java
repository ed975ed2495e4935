package dev.chatwire.jakarta;

import dev.chatwire.core.ChatException;
import dev.chatwire.core.ErrorCode;
import dev.chatwire.core.Upload;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * A {@code multipart/form-data} send: the text fields {@code chatId}, {@code text} and {@code clientMessageId}, and
 * every part that carries a file name as an upload, in the order sent. Closing it closes the upload streams and
 * deletes the container's temporary files.
 */
final class MultipartSend implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MultipartSend.class);

    final String chatId;
    final String text;
    final String clientMessageId;
    final List<Upload> uploads;
    private final Collection<Part> parts;

    private MultipartSend(String chatId, String text, String clientMessageId, List<Upload> uploads,
                          Collection<Part> parts) {
        this.chatId = chatId;
        this.text = text;
        this.clientMessageId = clientMessageId;
        this.uploads = uploads;
        this.parts = parts;
    }

    /**
     * Parses the request's parts.
     *
     * @param maxRequestBytes the largest body accepted, checked against a declared length before anything is read
     * @param maxParts        the most parts accepted, files and fields together
     * @param maxFieldBytes   the longest text field accepted
     * @throws ChatException 413 when the body, the part count, a file or a field is over its limit; 400 when it is
     *                       not valid multipart
     */
    static MultipartSend read(HttpServletRequest request, long maxRequestBytes, int maxParts, long maxFieldBytes) {
        if (request.getContentLengthLong() > maxRequestBytes) {
            throw new ChatException(ErrorCode.TOO_LARGE, "the body is larger than " + maxRequestBytes + " bytes");
        }
        Collection<Part> parts;
        RequestBody.taken(request);
        try {
            parts = request.getParts();
        } catch (IOException | ServletException | IllegalStateException e) {
            throw refusal(e);
        }
        try {
            if (parts.size() > maxParts) {
                throw new ChatException(ErrorCode.TOO_LARGE, "at most " + maxParts + " parts");
            }
            String chatId = null;
            String text = null;
            String clientMessageId = null;
            List<Upload> uploads = new ArrayList<>();
            for (Part part : parts) {
                String fileName = part.getSubmittedFileName();
                if (fileName != null) {
                    if (!fileName.isEmpty() || part.getSize() > 0) {
                        uploads.add(new Upload(baseName(fileName), part.getInputStream()));
                    }
                    continue;
                }
                switch (String.valueOf(part.getName())) {
                    case "chatId" -> chatId = field(part, maxFieldBytes);
                    case "text" -> text = field(part, maxFieldBytes);
                    case "clientMessageId" -> clientMessageId = field(part, maxFieldBytes);
                    default -> {
                        // Unknown fields are ignored, as unknown JSON fields are.
                    }
                }
            }
            return new MultipartSend(chatId, text, clientMessageId, uploads, parts);
        } catch (IOException e) {
            deleteAll(parts);
            throw new ChatException(ErrorCode.INVALID, "could not read the multipart body");
        } catch (RuntimeException e) {
            deleteAll(parts);
            throw e;
        }
    }

    /** Tells a body over the container's multipart limits from a malformed body or a missing configuration. */
    private static ChatException refusal(Exception failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String name = t.getClass().getSimpleName().toLowerCase(Locale.ROOT);
            String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (name.contains("sizelimit") || name.contains("toolarge") || name.contains("sizeexception")
                    || (message.contains("size") && (message.contains("exceed") || message.contains("max")))
                    || message.contains("too large") || message.contains("too big") || message.contains("413")
                    || name.contains("countlimit") || message.contains("too many")) {
                return new ChatException(ErrorCode.TOO_LARGE, "an upload is larger than the server accepts");
            }
        }
        String message = String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT);
        if (failure instanceof IllegalStateException && message.contains("config")) {
            log.error("multipart requests reach ChatServlet but its registration has no MultipartConfigElement; "
                    + "register it with ChatServlet.multipartConfig(limits)", failure);
            return new ChatException(ErrorCode.INTERNAL, "uploads are not configured on this server");
        }
        return new ChatException(ErrorCode.INVALID, "malformed multipart body");
    }

    private static String field(Part part, long maxBytes) throws IOException {
        try (InputStream in = new BoundedInputStream(part.getInputStream(), maxBytes)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (BoundedInputStream.TooLarge e) {
            throw new ChatException(ErrorCode.TOO_LARGE, "field '" + part.getName() + "' is too long");
        }
    }

    /** The last segment of a file name, as some clients send a whole path. */
    private static String baseName(String fileName) {
        int slash = Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\'));
        String name = fileName.substring(slash + 1);
        return name.isBlank() ? null : name;
    }

    @Override
    public void close() {
        for (Upload upload : uploads) {
            try {
                upload.content().close();
            } catch (IOException e) {
                log.debug("could not close an upload stream", e);
            }
        }
        deleteAll(parts);
    }

    private static void deleteAll(Collection<Part> parts) {
        for (Part part : parts) {
            try {
                part.delete();
            } catch (IOException | RuntimeException e) {
                log.debug("could not delete a multipart temporary file", e);
            }
        }
    }
}
