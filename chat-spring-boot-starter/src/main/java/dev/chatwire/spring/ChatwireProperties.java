package dev.chatwire.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code chatwire.*} settings of the starter; only {@code chatwire.jwt.secret} (HS256) or
 * {@code chatwire.jwt.jwks-uri} (RS256 and ES256 from an identity provider) is required.
 */
@ConfigurationProperties("chatwire")
public class ChatwireProperties {

    /** Token settings. */
    private final Jwt jwt = new Jwt();

    /** Browser origins allowed to open sockets, exact matches (e.g. https://chat.example.com); none unless set. */
    private List<String> allowedOrigins = new ArrayList<>();

    /** The WebSocket endpoint's path. */
    private String socketPath = "/ws";

    /** Where the REST API (ChatServlet) is mapped: {@code <prefix>/*}. */
    private String restPrefix = "/api";

    /** The MongoDB database of the stores when the application has a MongoClient bean and no MongoDatabase bean. */
    private String mongoDatabase = "chatwire";

    /** Limits that differ from the engine's defaults. */
    private final Limits limits = new Limits();

    /** @return the token settings */
    public Jwt getJwt() {
        return jwt;
    }

    /** @return the browser origins allowed to open sockets */
    public List<String> getAllowedOrigins() {
        return allowedOrigins;
    }

    /** @param allowedOrigins the browser origins allowed to open sockets */
    public void setAllowedOrigins(List<String> allowedOrigins) {
        this.allowedOrigins = allowedOrigins;
    }

    /** @return the WebSocket endpoint's path */
    public String getSocketPath() {
        return socketPath;
    }

    /** @param socketPath the WebSocket endpoint's path */
    public void setSocketPath(String socketPath) {
        this.socketPath = socketPath;
    }

    /** @return where the REST API is mapped */
    public String getRestPrefix() {
        return restPrefix;
    }

    /** @param restPrefix where the REST API is mapped, such as {@code /api} */
    public void setRestPrefix(String restPrefix) {
        this.restPrefix = restPrefix;
    }

    /** @return the MongoDB database used with a MongoClient bean */
    public String getMongoDatabase() {
        return mongoDatabase;
    }

    /** @param mongoDatabase the MongoDB database used with a MongoClient bean */
    public void setMongoDatabase(String mongoDatabase) {
        this.mongoDatabase = mongoDatabase;
    }

    /** @return the limits that differ from the engine's defaults */
    public Limits getLimits() {
        return limits;
    }

    /** Token settings. */
    public static class Jwt {

        /** The HS256 secret tokens are signed with, at least 32 bytes. */
        private String secret;

        /**
         * Where the identity provider publishes its keys (a JWKS), for RS256 and ES256 tokens; instead of the
         * secret. Needs {@code com.auth0:jwks-rsa} on the class path.
         */
        private URI jwksUri;

        /** The {@code iss} every token must carry; not checked unless set. */
        private String issuer;

        /** An audience every token's {@code aud} must include; not checked unless set. */
        private String audience;

        /** How far past {@code exp} a token is still accepted, and a socket kept open, for clock skew. */
        private Duration leeway = Duration.ofSeconds(30);

        /** The claim holding the user id. */
        private String userIdClaim = "sub";

        /**
         * The longest a token may live ({@code exp - iat}, and {@code exp} from now); tokens without {@code iat} are
         * refused when set. Not checked unless set.
         */
        private Duration maxLifetime;

        /** @return the HS256 secret */
        public String getSecret() {
            return secret;
        }

        /** @param secret the HS256 secret, at least 32 bytes */
        public void setSecret(String secret) {
            this.secret = secret;
        }

        /** @return the JWKS URI, or null when tokens are HS256 */
        public URI getJwksUri() {
            return jwksUri;
        }

        /** @param jwksUri where the identity provider publishes its keys */
        public void setJwksUri(URI jwksUri) {
            this.jwksUri = jwksUri;
        }

        /** @return the issuer tokens must carry, or null */
        public String getIssuer() {
            return issuer;
        }

        /** @param issuer the {@code iss} every token must carry */
        public void setIssuer(String issuer) {
            this.issuer = issuer;
        }

        /** @return the audience tokens must include, or null */
        public String getAudience() {
            return audience;
        }

        /** @param audience an audience every token's {@code aud} must include */
        public void setAudience(String audience) {
            this.audience = audience;
        }

        /** @return how far past {@code exp} a token is still accepted */
        public Duration getLeeway() {
            return leeway;
        }

        /** @param leeway how far past {@code exp} a token is still accepted, in whole seconds */
        public void setLeeway(Duration leeway) {
            this.leeway = leeway;
        }

        /** @return the claim holding the user id */
        public String getUserIdClaim() {
            return userIdClaim;
        }

        /** @param userIdClaim the claim holding the user id */
        public void setUserIdClaim(String userIdClaim) {
            this.userIdClaim = userIdClaim;
        }

        /** @return the longest a token may live, or null when not checked */
        public Duration getMaxLifetime() {
            return maxLifetime;
        }

        /** @param maxLifetime the longest a token may live, such as {@code 1h} */
        public void setMaxLifetime(Duration maxLifetime) {
            this.maxLifetime = maxLifetime;
        }
    }

    /** Limits that differ from the engine's defaults; each one unset keeps its default. */
    public static class Limits {

        /** The longest message text, in characters. */
        private Integer maxTextChars;

        /** The largest upload, in bytes. */
        private Long maxUploadBytes;

        /** How many sockets one user may have open at once. */
        private Integer maxConnectionsPerUser;

        /** How many sockets one client address (an IPv6 /64) may hold before they authenticate. */
        private Integer maxUnauthenticatedPerAddress;

        /** How many sockets the node holds before they authenticate, from all addresses. */
        private Integer maxUnauthenticated;

        /** The most attachment bytes one user may have stored; unlimited unless set. */
        private Long maxStoredBytesPerUser;

        /** @return the longest message text, or null for the default */
        public Integer getMaxTextChars() {
            return maxTextChars;
        }

        /** @param maxTextChars the longest message text, in characters */
        public void setMaxTextChars(Integer maxTextChars) {
            this.maxTextChars = maxTextChars;
        }

        /** @return the largest upload, or null for the default */
        public Long getMaxUploadBytes() {
            return maxUploadBytes;
        }

        /** @param maxUploadBytes the largest upload, in bytes */
        public void setMaxUploadBytes(Long maxUploadBytes) {
            this.maxUploadBytes = maxUploadBytes;
        }

        /** @return how many sockets one user may have open, or null for the default */
        public Integer getMaxConnectionsPerUser() {
            return maxConnectionsPerUser;
        }

        /** @param maxConnectionsPerUser how many sockets one user may have open at once */
        public void setMaxConnectionsPerUser(Integer maxConnectionsPerUser) {
            this.maxConnectionsPerUser = maxConnectionsPerUser;
        }

        /** @return the unauthenticated sockets one address may hold, or null for the default */
        public Integer getMaxUnauthenticatedPerAddress() {
            return maxUnauthenticatedPerAddress;
        }

        /** @param maxUnauthenticatedPerAddress the unauthenticated sockets one address may hold */
        public void setMaxUnauthenticatedPerAddress(Integer maxUnauthenticatedPerAddress) {
            this.maxUnauthenticatedPerAddress = maxUnauthenticatedPerAddress;
        }

        /** @return the unauthenticated sockets the node holds, or null for the default */
        public Integer getMaxUnauthenticated() {
            return maxUnauthenticated;
        }

        /** @param maxUnauthenticated the unauthenticated sockets the node holds, from all addresses */
        public void setMaxUnauthenticated(Integer maxUnauthenticated) {
            this.maxUnauthenticated = maxUnauthenticated;
        }

        /** @return the attachment bytes one user may have stored, or null for no quota */
        public Long getMaxStoredBytesPerUser() {
            return maxStoredBytesPerUser;
        }

        /** @param maxStoredBytesPerUser the attachment bytes one user may have stored */
        public void setMaxStoredBytesPerUser(Long maxStoredBytesPerUser) {
            this.maxStoredBytesPerUser = maxStoredBytesPerUser;
        }
    }
}
