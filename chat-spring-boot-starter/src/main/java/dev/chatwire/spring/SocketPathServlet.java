package dev.chatwire.spring;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** Answers a request for the socket's path that is not a WebSocket handshake: 426 Upgrade Required. */
final class SocketPathServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Upgrade", "websocket");
        response.sendError(426, "this path takes WebSocket connections only");
    }
}
