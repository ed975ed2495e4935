package dev.chatwire.jakarta;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chatwire.core.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Reads a route's JSON body, then runs the route's work with it. Where the container allows asynchronous requests
 * (the servlet registered with {@code asyncSupported}), the body is read without holding a thread and within the
 * reader's deadline, and the work runs once all of it is there; elsewhere it is read the blocking way, on the request's
 * thread. Either way the work's failures are answered as the servlet answers any other.
 */
final class JsonBodies {

    /** What a route does with its body. */
    @FunctionalInterface
    interface Work {
        /** Serves the request with its body, writing the answer. */
        void serve(JsonBody body) throws IOException;
    }

    private final ObjectMapper mapper;
    private final long maxBytes;
    private final AsyncBodyReader reader;
    private final ErrorAnswers errors;

    /**
     * @param maxBytes the longest body accepted: a longer one is 413, whether it declared its length or not
     */
    JsonBodies(ObjectMapper mapper, long maxBytes, AsyncBodyReader reader, ErrorAnswers errors) {
        this.mapper = mapper;
        this.maxBytes = maxBytes;
        this.reader = reader;
        this.errors = errors;
    }

    /**
     * Reads the request's JSON body and runs the work with it; the work may run after this returns, on another
     * container thread, and the caller must then leave the response alone.
     *
     * @throws dev.chatwire.core.ChatException 415 for another content type, 413 for a declared length over the
     *                                         bound, before any of the body is read; later failures are answered
     *                                         without throwing
     */
    void read(HttpServletRequest request, HttpServletResponse response, Work work) throws IOException {
        JsonBody.checkHead(request, maxBytes);
        if (!request.isAsyncSupported() || !RequestBody.declared(request)) {
            RequestBody.taken(request);
            work.serve(JsonBody.read(request, mapper, maxBytes));
            return;
        }
        reader.read(request, maxBytes, true, (ending, body) -> {
            switch (ending) {
                case COMPLETE -> errors.answering(request, response,
                        () -> work.serve(JsonBody.parse(new ByteArrayInputStream(body), mapper, maxBytes)));
                case TOO_LONG -> errors.answerAndClose(request, response,
                        HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, ErrorCode.TOO_LARGE,
                        JsonBody.tooLarge(maxBytes).getMessage());
                case TIMED_OUT -> errors.answerAndClose(request, response, HttpServletResponse.SC_REQUEST_TIMEOUT,
                        ErrorCode.INVALID, "the body did not arrive within " + reader.timeout().toMillis() + " ms");
                // Mostly the client went away, and the answer goes nowhere; but a container may also fail a read it
                // judged too slow (Jetty's minimum data rate), and that client is still there: it gets an answer, not
                // an empty 200 when the request completes.
                case BROKEN -> errors.answerAndClose(request, response, HttpServletResponse.SC_BAD_REQUEST,
                        ErrorCode.INVALID, "the body could not be read");
                default -> throw new IllegalStateException("unknown ending " + ending);
            }
        });
    }
}
