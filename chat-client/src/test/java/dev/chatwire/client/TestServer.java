package dev.chatwire.client;

import dev.chatwire.core.ChatEngine;
import dev.chatwire.core.ChatLimits;
import dev.chatwire.core.Principal;
import dev.chatwire.core.SocketSettings;
import dev.chatwire.core.jwt.JwtTokenVerifier;
import dev.chatwire.core.spi.ChatPolicy;
import dev.chatwire.jakarta.ChatServlet;
import dev.chatwire.jetty.ChatWebSocketHandler;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * A real Chatwire server on a free port of 127.0.0.1, wired as an embedded Jetty 12 host would: the in-memory engine,
 * HS256 tokens, the Jetty core socket at {@code /ws} and the REST servlet at {@code /api/*}.
 */
final class TestServer {

    private final ChatEngine engine;
    private final Server server;

    private TestServer(ChatEngine engine, Server server) {
        this.engine = engine;
        this.server = server;
    }

    static TestServer start() throws Exception {
        return start(ChatLimits.defaults());
    }

    static TestServer start(ChatLimits limits) throws Exception {
        return start(limits, ChatPolicy.DEFAULT);
    }

    /** A server whose engine applies this host policy. */
    static TestServer start(ChatPolicy policy) throws Exception {
        return start(ChatLimits.defaults(), policy);
    }

    private static TestServer start(ChatLimits limits, ChatPolicy policy) throws Exception {
        ChatEngine engine = ChatEngine.builder().inMemory()
                .policy(policy)
                // A 10 s leeway, not the default 30 s: the socket closes with 4402 10 s after its token expires, inside
                // TokenRefreshTest's 20 s wait, and a short-lived token that a loaded machine presents late
                // still gets in.
                .tokenVerifier(JwtTokenVerifier.hs256(Tokens.SECRET).leeway(Duration.ofSeconds(10)).build())
                .limits(limits)
                .build();
        Server server = new Server(new InetSocketAddress("127.0.0.1", 0));
        ServletContextHandler rest = new ServletContextHandler("/");
        ServletHolder api = rest.addServlet(new ChatServlet(engine), "/api/*");
        api.setAsyncSupported(true);
        api.getRegistration().setMultipartConfig(ChatServlet.multipartConfig(engine.limits()));
        ChatWebSocketHandler sockets = ChatWebSocketHandler.create(engine, SocketSettings.builder().build(), server);
        sockets.setHandler(rest);
        server.setHandler(sockets);
        server.start();
        return new TestServer(engine, server);
    }

    int port() {
        return ((NetworkConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** The socket URI of a server, or of a proxy in front of it, on this port. */
    static URI socketUri(int port) {
        return URI.create("ws://127.0.0.1:" + port + "/ws");
    }

    URI socketUri() {
        return socketUri(port());
    }

    /** The texts the server stored in a chat, oldest first, read as one of its participants. */
    List<String> storedTexts(String userId, String chatId) {
        return engine.history(Principal.of(userId), chatId, dev.chatwire.core.HistoryQuery.after(0)).stream()
                .map(dev.chatwire.core.Message::text).toList();
    }

    void stop() throws Exception {
        engine.close();
        server.stop();
    }
}
