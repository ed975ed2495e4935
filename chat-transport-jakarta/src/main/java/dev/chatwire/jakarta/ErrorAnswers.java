package dev.chatwire.jakarta;

import dev.chatwire.core.ChatException;
import dev.chatwire.core.ErrorCode;
import dev.chatwire.core.RateLimitedException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;

/**
 * Turns what a route threw into the REST API's error answer, and after an error deals with the body the client may
 * still be sending: one small enough is read to its end, without a thread where the container allows it, so that the
 * connection stays usable; a larger one, or one that does not end in time, closes the connection instead.
 */
final class ErrorAnswers {

    /** The servlet's logger, as before these answers had a class of their own: hosts' log settings name it. */
    private static final Logger log = LoggerFactory.getLogger(ChatServlet.class);
    /** An error to a request declaring a body over this many bytes closes the connection instead of reading it all. */
    private static final long KEEP_ALIVE_BODY_BYTES = 64 * 1024;

    /** The work of a request, whose failures are answered here. */
    @FunctionalInterface
    interface Work {
        /** Serves the request, writing its answer. */
        void run() throws IOException;
    }

    private final JsonResponses responses;
    private final AsyncBodyReader bodies;

    ErrorAnswers(JsonResponses responses, AsyncBodyReader bodies) {
        this.responses = responses;
        this.bodies = bodies;
    }

    /** Runs the work and answers what it throws: a {@link ChatException}'s code, 405, or 500 for anything else. */
    void answering(HttpServletRequest request, HttpServletResponse response, Work work) throws IOException {
        try {
            work.run();
        } catch (ChatException e) {
            if (e.code() == ErrorCode.INTERNAL || e.code() == ErrorCode.UNAVAILABLE) {
                log.warn("{} {} failed: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
            }
            if (e instanceof RateLimitedException limited) {
                response.setHeader("Retry-After", Long.toString(retryAfterSeconds(limited)));
            }
            answerAfterTheBody(request, response, HttpErrors.status(e.code()), e.code(), e.getMessage());
        } catch (ApiPath.MethodNotAllowed e) {
            response.setHeader("Allow", e.allow);
            write(request, response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, ErrorCode.INVALID,
                    request.getMethod() + " is not allowed here");
        } catch (RuntimeException e) {
            log.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
            write(request, response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, ErrorCode.INTERNAL,
                    "internal error");
        }
    }

    /** Answers an error and asks the container to close the connection: the rest of the body is left unread. */
    void answerAndClose(HttpServletRequest request, HttpServletResponse response, int status, ErrorCode code,
                        String message) throws IOException {
        response.setHeader("Connection", "close");
        write(request, response, status, code, message);
    }

    /**
     * Answers an error once the client has sent what is left of a small body, so that it gets the answer on a
     * connection that stays usable; a large body (or a chunked one that goes on past the same bound) is not read, and
     * the container is asked to close the connection instead: keeping it alive would mean reading (Tomcat: up to
     * 2 MB) or waiting for the rest of it.
     */
    private void answerAfterTheBody(HttpServletRequest request, HttpServletResponse response, int status,
                                    ErrorCode code, String message) throws IOException {
        if (request.isAsyncStarted() || !RequestBody.declared(request)) {
            // Read whole already, by the asynchronous read that led here, or there is none.
            write(request, response, status, code, message);
        } else if (request.getContentLengthLong() > KEEP_ALIVE_BODY_BYTES) {
            answerAndClose(request, response, status, code, message);
        } else if (RequestBody.wasTaken(request) || !request.isAsyncSupported()) {
            if (!drained(request)) {
                response.setHeader("Connection", "close");
            }
            write(request, response, status, code, message);
        } else {
            bodies.read(request, KEEP_ALIVE_BODY_BYTES, false, (ending, body) -> {
                if (ending == AsyncBodyReader.Ending.COMPLETE) {
                    write(request, response, status, code, message);
                } else {
                    answerAndClose(request, response, status, code, message);
                }
            });
        }
    }

    /** Whether the request's body ended within {@link #KEEP_ALIVE_BODY_BYTES} more bytes, read here. */
    private static boolean drained(HttpServletRequest request) {
        try {
            InputStream body = request.getInputStream();
            byte[] buffer = new byte[8192];
            long read = 0;
            int n;
            while ((n = body.read(buffer)) >= 0) {
                read += n;
                if (read > KEEP_ALIVE_BODY_BYTES) {
                    return false;
                }
            }
            return true;
        } catch (IOException | IllegalStateException e) {
            // Read already (a parsed multipart, a reader), or the client went away: nothing to keep alive for.
            return false;
        }
    }

    private void write(HttpServletRequest request, HttpServletResponse response, int status, ErrorCode code,
                       String message) throws IOException {
        responses.writeError(response, status, code, message, request.getHeader("Authorization") != null);
    }

    /** Whole seconds, rounded up: a client that waits that long finds the request allowed. */
    private static long retryAfterSeconds(RateLimitedException limited) {
        long millis = limited.retryAfter().toMillis();
        return Math.max(1, (millis + 999) / 1000);
    }
}
