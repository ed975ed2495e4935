package dev.chatwire.jakarta;

import dev.chatwire.core.Principal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** A group of the REST API's routes, which {@link ChatServlet} asks in turn to serve an authenticated request. */
interface Routes {

    /**
     * Serves the request if its path is one of this group's routes.
     *
     * @return whether the path was one of them; {@code false} leaves the request untouched
     * @throws dev.chatwire.core.ChatException     for a refusal or failure, which the servlet answers
     * @throws ApiPath.MethodNotAllowed            for one of these paths with a method it does not take
     */
    boolean serve(Principal user, ApiPath path, HttpServletRequest request, HttpServletResponse response)
            throws IOException;
}
