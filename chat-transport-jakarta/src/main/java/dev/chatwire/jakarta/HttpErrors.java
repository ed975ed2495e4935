package dev.chatwire.jakarta;

import dev.chatwire.core.ErrorCode;
import jakarta.servlet.http.HttpServletResponse;

/** How the REST API answers each {@link ErrorCode}: the one place that maps them to HTTP statuses. */
final class HttpErrors {

    private HttpErrors() {
    }

    /** The HTTP status of an error code. */
    static int status(ErrorCode code) {
        return switch (code) {
            case INVALID -> HttpServletResponse.SC_BAD_REQUEST;
            case UNAUTHORIZED -> HttpServletResponse.SC_UNAUTHORIZED;
            case FORBIDDEN -> HttpServletResponse.SC_FORBIDDEN;
            case NOT_FOUND -> HttpServletResponse.SC_NOT_FOUND;
            case TOO_LARGE -> HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE;
            case UNSUPPORTED_MEDIA_TYPE -> HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE;
            case RATE_LIMITED -> 429;
            case UNAVAILABLE -> HttpServletResponse.SC_SERVICE_UNAVAILABLE;
            case INTERNAL -> HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
        };
    }

    /** Headers that tell the client what to do next, for the codes that have one. */
    static void addAdvice(HttpServletResponse response, ErrorCode code, boolean tokenGiven) {
        switch (code) {
            case UNAUTHORIZED -> response.setHeader("WWW-Authenticate",
                    tokenGiven ? "Bearer error=\"invalid_token\"" : "Bearer");
            case RATE_LIMITED, UNAVAILABLE -> {
                if (!response.containsHeader("Retry-After")) {
                    response.setHeader("Retry-After", "1");
                }
            }
            default -> {
            }
        }
    }
}
