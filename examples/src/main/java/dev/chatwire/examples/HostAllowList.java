package dev.chatwire.examples;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Answers only requests whose {@code Host} header names this server: a page on another site that rebinds its own DNS
 * name to this server's address sends its own name, and is refused with 421 before it reaches the demo sign-in or
 * the API. Matches host names without their port, case-insensitively.
 */
final class HostAllowList extends HttpFilter {

    private static final byte[] REFUSAL = "{\"error\":{\"code\":\"invalid\",\"message\":\"unknown host\"}}"
            .getBytes(StandardCharsets.UTF_8);

    private final transient Set<String> hostNames;

    HostAllowList(Set<String> hostNames) {
        this.hostNames = Set.copyOf(hostNames);
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (allows(request.getHeader("Host"))) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(421);
        response.setContentType("application/json;charset=UTF-8");
        response.setHeader("Connection", "close");
        response.setContentLength(REFUSAL.length);
        response.getOutputStream().write(REFUSAL);
    }

    /** Whether a {@code Host} header value names this server; a missing one never does. */
    boolean allows(String hostHeader) {
        if (hostHeader == null) {
            return false;
        }
        String host = hostHeader.trim().toLowerCase(Locale.ROOT);
        int portColon = host.startsWith("[") ? host.indexOf(':', host.indexOf(']')) : host.lastIndexOf(':');
        if (portColon >= 0) {
            host = host.substring(0, portColon);
        }
        return hostNames.contains(host);
    }
}
