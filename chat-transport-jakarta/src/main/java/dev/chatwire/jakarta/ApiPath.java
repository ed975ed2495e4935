package dev.chatwire.jakarta;

import jakarta.servlet.http.HttpServletRequest;

import java.util.ArrayList;
import java.util.List;

/**
 * A request's method and its path below the servlet's mapping, as the container decoded it, split into segments:
 * what each group of {@link Routes} matches against.
 */
final class ApiPath {

    /** In a pattern, matches any one segment. */
    static final String ANY = "*";

    private final String method;
    private final List<String> segments;

    private ApiPath(String method, List<String> segments) {
        this.method = method;
        this.segments = segments;
    }

    /**
     * The path of a request. The container has percent-decoded it already (as UTF-8 on Jetty and Tomcat), so a
     * segment is used as it is: decoding it again would turn a literal {@code %25} into something else.
     */
    static ApiPath of(HttpServletRequest request) {
        return of(request.getMethod(), request.getPathInfo());
    }

    static ApiPath of(String method, String pathInfo) {
        List<String> segments = new ArrayList<>(6);
        if (pathInfo != null) {
            for (String segment : pathInfo.split("/")) {
                if (!segment.isEmpty()) {
                    segments.add(segment);
                }
            }
        }
        return new ApiPath(method, List.copyOf(segments));
    }

    /** Whether the path has exactly these segments, {@link #ANY} standing for any one. */
    boolean matches(String... pattern) {
        if (pattern.length != segments.size()) {
            return false;
        }
        for (int i = 0; i < pattern.length; i++) {
            if (!pattern[i].equals(ANY) && !pattern[i].equals(segments.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** The segment at {@code index}, counted from 0. */
    String segment(int index) {
        return segments.get(index);
    }

    /** The request's method. */
    String method() {
        return method;
    }

    /**
     * Requires one of the methods a matched route takes.
     *
     * @return the request's method
     * @throws MethodNotAllowed naming the methods the route takes, for the {@code Allow} header
     */
    String allow(String... methods) {
        for (String candidate : methods) {
            if (candidate.equals(method)) {
                return method;
            }
        }
        throw new MethodNotAllowed(String.join(", ", methods));
    }

    /** A known route asked for with a method it does not take: 405, which no {@link dev.chatwire.core.ErrorCode} is. */
    static final class MethodNotAllowed extends RuntimeException {

        /** The methods the route takes, comma-separated. */
        final String allow;

        MethodNotAllowed(String allow) {
            super(null, null, false, false);
            this.allow = allow;
        }
    }
}
