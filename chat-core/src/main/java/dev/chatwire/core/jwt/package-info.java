/**
 * JWT verification: {@link dev.chatwire.core.jwt.JwtTokenVerifier} for tokens signed with a key the host holds
 * (HS256 secret, RS256 or ES256 public key), and {@link dev.chatwire.core.jwt.JwksTokenVerifier}, made by
 * {@link dev.chatwire.core.jwt.JwtTokenVerifier#jwks(java.net.URI)}, for RS256 and ES256 tokens signed with the keys
 * an identity provider publishes as a JWKS (needs the optional {@code com.auth0:jwks-rsa}). Both pin the algorithm,
 * check {@code exp} with a leeway that the engine also waits before closing an expired socket, and check {@code iss}
 * and {@code aud} when configured. Their builders share these claim settings as
 * {@link dev.chatwire.core.jwt.ClaimRules}.
 */
package dev.chatwire.core.jwt;
