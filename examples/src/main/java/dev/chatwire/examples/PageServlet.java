package dev.chatwire.examples;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Serves the demo page from the classpath ({@code static/}): a fixed list of files, so nothing else on the classpath
 * can be read through it. Mapped at {@code /}, it is also the servlet Tomcat needs on the WebSocket path for its
 * upgrade filter to run.
 */
final class PageServlet extends HttpServlet {

    private static final String MODULE = "text/javascript;charset=UTF-8";
    private static final Map<String, String> FILES = Map.ofEntries(
            Map.entry("/index.html", "text/html;charset=UTF-8"),
            Map.entry("/app.css", "text/css;charset=UTF-8"),
            Map.entry("/app.js", MODULE),
            Map.entry("/state.js", MODULE),
            Map.entry("/live.js", MODULE),
            Map.entry("/chats.js", MODULE),
            Map.entry("/composer.js", MODULE),
            Map.entry("/redraw.js", MODULE),
            Map.entry("/view.js", MODULE),
            Map.entry("/message-view.js", MODULE));
    /**
     * The modules of {@code @chatwire/client}, copied into {@code static/client/} by the build: names only, no dots.
     */
    private static final Pattern CLIENT_MODULE = Pattern.compile("/client/[a-z-]+\\.js");
    private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' blob:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        if (path.isEmpty() || path.equals("/")) {
            path = "/index.html";
        }
        String contentType = CLIENT_MODULE.matcher(path).matches() ? MODULE : FILES.get(path);
        if (contentType == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        try (InputStream file = PageServlet.class.getResourceAsStream("/static" + path)) {
            if (file == null) {
                response.sendError(HttpServletResponse.SC_NOT_FOUND);
                return;
            }
            byte[] bytes = file.readAllBytes();
            response.setContentType(contentType);
            response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setHeader("Referrer-Policy", "no-referrer");
            response.setHeader("Cache-Control", "no-cache");
            response.setContentLength(bytes.length);
            response.getOutputStream().write(bytes);
        }
    }
}
