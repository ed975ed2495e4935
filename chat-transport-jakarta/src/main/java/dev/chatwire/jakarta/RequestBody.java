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

    /** Whether the request declares a body: a length over zero, or a chunked one. */
    static boolean declared(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }
}
