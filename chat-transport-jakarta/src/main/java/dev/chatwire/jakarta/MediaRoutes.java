package dev.chatwire.jakarta;

import dev.chatwire.core.ChatEngine;
import dev.chatwire.core.MediaDownload;
import dev.chatwire.core.MediaInfo;
import dev.chatwire.core.Principal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;

import static dev.chatwire.jakarta.ApiPath.ANY;

/**
 * {@code GET /media/{id}}: an attachment's bytes, for participants of its chat, served so that a browser never runs
 * them as a page of this origin ({@code nosniff}, a sandboxing CSP, a disposition from {@link MediaHeaders}).
 */
final class MediaRoutes implements Routes {

    private final ChatEngine engine;

    MediaRoutes(ChatEngine engine) {
        this.engine = engine;
    }

    @Override
    public boolean serve(Principal user, ApiPath path, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (!path.matches("media", ANY)) {
            return false;
        }
        path.allow("GET");
        MediaDownload download = engine.openMedia(user, path.segment(1));
        MediaInfo info = download.info();
        try (InputStream content = download.content()) {
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType(info.mimeType());
            response.setContentLengthLong(info.size());
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setHeader("Content-Disposition", MediaHeaders.contentDisposition(info.name(), info.mimeType()));
            response.setHeader("Content-Security-Policy", "default-src 'none'; sandbox");
            response.setHeader("Cache-Control", "private, max-age=3600");
            content.transferTo(response.getOutputStream());
        }
        return true;
    }
}
