package dev.chatwire.jakarta;

import jakarta.servlet.ServletRequest;
import jakarta.websocket.server.HandshakeRequest;

import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds the client's address of a handshake, which the Jakarta WebSocket API does not expose.
 *
 * <p>Jetty (and Tyrus) put it in the handshake's user properties under {@link #CONTAINER_PROPERTY} before
 * {@code modifyHandshake}. Tomcat does not; its {@code HandshakeRequest} holds the servlet request until the
 * handshake ends, so the address is read from that request's {@code getRemoteAddr()}, which is also where Tomcat's
 * {@code RemoteIpValve} puts a forwarded client's address. That read goes through a private field, so it is
 * best-effort: where it is not allowed (a container without such a field, a module system that refuses the access),
 * the address is unknown and the socket counts only in the engine's node-wide cap.
 */
final class PeerAddresses {

    /** The user property in which Jetty and Tyrus hand an endpoint the peer's {@link InetSocketAddress}. */
    static final String CONTAINER_PROPERTY = "jakarta.websocket.endpoint.remoteAddress";

    /** The servlet-request field of each handshake-request class, if it has one we may read. */
    private static final ClassValue<Optional<Field>> SERVLET_REQUEST_FIELDS = new ClassValue<>() {
        @Override
        protected Optional<Field> computeValue(Class<?> type) {
            return Arrays.stream(type.getDeclaredFields())
                    .filter(field -> ServletRequest.class.isAssignableFrom(field.getType()))
                    .findFirst()
                    .filter(PeerAddresses::makeAccessible);
        }
    };

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    /** Hex groups with at least one colon (no host name has one), an embedded IPv4 tail or a zone. */
    private static final Pattern IPV6 = Pattern.compile("\\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[\\w.-]+)?]?");

    private PeerAddresses() {
    }

    /** The client's address of a handshake in progress, or empty if the container does not tell. */
    static Optional<InetAddress> of(Map<String, Object> handshakeProperties, HandshakeRequest request) {
        if (handshakeProperties.get(CONTAINER_PROPERTY) instanceof InetSocketAddress socket
                && socket.getAddress() != null) {
            return Optional.of(socket.getAddress());
        }
        return servletRequest(request).map(ServletRequest::getRemoteAddr).flatMap(PeerAddresses::parseLiteral);
    }

    private static Optional<ServletRequest> servletRequest(HandshakeRequest request) {
        Optional<Field> field = SERVLET_REQUEST_FIELDS.get(request.getClass());
        if (field.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable((ServletRequest) field.get().get(request));
        } catch (IllegalAccessException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static boolean makeAccessible(Field field) {
        try {
            field.setAccessible(true);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** An IP address literal as an address, without a name lookup; empty for anything else. */
    static Optional<InetAddress> parseLiteral(String address) {
        if (address == null || !(IPV4.matcher(address).matches() || IPV6.matcher(address).matches())) {
            return Optional.empty();
        }
        try {
            // Only an address literal gets here, which is parsed, never looked up.
            return Optional.of(InetAddress.getByName(address));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
