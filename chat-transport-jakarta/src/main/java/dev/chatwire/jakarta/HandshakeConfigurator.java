package dev.chatwire.jakarta;

import dev.chatwire.core.SocketSettings;
import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The handshake rules of {@link ChatEndpointConfig}: the Origin allow-list, the bearer token, no sub-protocol, and
 * extensions only when allowed.
 *
 * <p>Every method is overridden without calling {@code super}: the base class delegates to whichever container's
 * default configurator the service loader finds first, which need not be the container serving the request.
 */
final class HandshakeConfigurator extends ServerEndpointConfig.Configurator {

    /** The per-handshake user property that carries the token from the handshake to {@code onOpen}. */
    static final String TOKEN_PROPERTY = "dev.chatwire.jakarta.token";
    /** The per-handshake user property that carries the client's address, when known, to {@code onOpen}. */
    static final String PEER_PROPERTY = "dev.chatwire.jakarta.peer";
    private static final String PERMESSAGE_DEFLATE = "permessage-deflate";

    private final ChatEndpointConfig config;

    HandshakeConfigurator(ChatEndpointConfig config) {
        this.config = config;
    }

    /** Allows exact matches of the allow-list, and requests without an Origin header (non-browser clients). */
    @Override
    public boolean checkOrigin(String originHeaderValue) {
        return config.settings().allowsOrigin(originHeaderValue);
    }

    @Override
    public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
        return "";
    }

    @Override
    public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
        if (!config.settings().permessageDeflate()) {
            return List.of();
        }
        Set<String> available = installed.stream().map(Extension::getName).collect(Collectors.toSet());
        return requested.stream()
                .filter(extension -> PERMESSAGE_DEFLATE.equals(extension.getName()))
                .filter(extension -> available.contains(extension.getName()))
                .toList();
    }

    /**
     * Keeps the token of an {@code Authorization: Bearer} header (or, when allowed, of the query) and the client's
     * address ({@link PeerAddresses}) for {@link ChatEndpoint#onOpen}. The user properties are a per-handshake copy in
     * Jakarta WebSocket containers.
     */
    @Override
    public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
        PeerAddresses.of(sec.getUserProperties(), request)
                .ifPresent(peer -> sec.getUserProperties().put(PEER_PROPERTY, peer));
        String token = bearerToken(request.getHeaders());
        if (token == null && config.settings().tokenInQuery()) {
            List<String> values = request.getParameterMap().get(SocketSettings.TOKEN_QUERY_PARAMETER);
            if (values != null && !values.isEmpty() && !values.get(0).isBlank()) {
                token = values.get(0);
            }
        }
        if (token != null) {
            sec.getUserProperties().put(TOKEN_PROPERTY, token);
        }
    }

    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) {
        return endpointClass.cast(new ChatEndpoint(config));
    }

    /** The token of the first {@code Authorization: Bearer} header, whatever the case of the names. */
    static String bearerToken(Map<String, List<String>> headers) {
        List<String> values = new ArrayList<>();
        headers.forEach((name, headerValues) -> {
            if ("authorization".equalsIgnoreCase(name) && headerValues != null) {
                values.addAll(headerValues);
            }
        });
        return SocketSettings.bearerToken(values);
    }
}
