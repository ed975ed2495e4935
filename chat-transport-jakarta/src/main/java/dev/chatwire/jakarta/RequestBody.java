package dev.chatwire.jakarta;

import jakarta.servlet.http.HttpServletRequest;

/** What is known of a request's body: whether it has one, and whether a route has begun reading it. */
final class RequestBody {

    private static final String TAKEN = RequestBody.class.getName() + ".taken";

    private RequestBody() {
    }

    /** Notes that a route is reading the body itself (a multipart parse, a blocking read). */
    static void taken(HttpServletRequest request) {
        request.setAttribute(TAKEN, Boolean.TRUE);
    }

    /** Whether {@link #taken} was called for this request. */
    static boolean wasTaken(HttpServletRequest request) {
        return request.getAttribute(TAKEN) != null;
    }

    /** Whether the request may carry a body: a length over zero, a chunked one, or one of unknown length. */
    static boolean declared(HttpServletRequest request) {
        long length = request.getContentLengthLong();
        if (length >= 0) {
            return length > 0;
        }
        // HTTP/1.x sends a body of no stated length chunked; HTTP/2 and 3 may send one with neither header.
        return request.getHeader("Transfer-Encoding") != null || !request.getProtocol().startsWith("HTTP/1.");
    }
}
