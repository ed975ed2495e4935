package dev.chatwire.core;

import java.util.Locale;

/** Why a request failed; every transport maps these to its own errors (an {@code error} frame, an HTTP status). */
public enum ErrorCode {
    /** No valid credential: the token is missing, forged, expired or signed with the wrong key. */
    UNAUTHORIZED,
    /** The user may not do this, for instance post to a chat it does not take part in. */
    FORBIDDEN,
    /** The thing asked for does not exist (or the user may not know whether it does). */
    NOT_FOUND,
    /** The request is malformed: bad JSON, a missing or wrong field, an unknown command. */
    INVALID,
    /** The request is over a size limit. */
    TOO_LARGE,
    /** An upload's sniffed media type is not allowed. */
    UNSUPPORTED_MEDIA_TYPE,
    /** The client sends faster than its rate limit allows. */
    RATE_LIMITED,
    /** A backing service (database, Redis) failed or timed out; retrying later may succeed. */
    UNAVAILABLE,
    /** A bug on the server. */
    INTERNAL;

    /** The name used on the wire, e.g. {@code not_found}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
