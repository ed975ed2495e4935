package dev.chatwire.core;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the engine accepts as a user id and as message text, checked where each enters: a token's subject, a chat's
 * participant list, a send.
 *
 * <p>A user id matches the host's {@link ChatLimits#userIdPattern()} and is 1 to {@value #MAX_USER_ID_CHARS} characters
 * with no control or format characters (which include the zero-width and bidirectional controls) and no unpaired
 * surrogate: ids are shown to other users and used as keys, so two that look alike must be equal. Text may hold any
 * character except an unpaired surrogate, which no encoder can write out faithfully, but must keep something visible
 * once whitespace, control and format characters are taken away: a message of zero-width spaces would otherwise read as
 * an empty one. A file name is cleaned rather than refused: control characters, bidirectional controls and unpaired
 * surrogates are dropped, since a right-to-left override shows {@code invoice\u202Egnp.exe} as {@code invoiceexe.png};
 * joiners stay, as emoji need them.
 */
final class InputRules {

    /** The longest user id. */
    static final int MAX_USER_ID_CHARS = 128;

    private InputRules() {
    }

    /** Refuses a user id that breaks the rules or does not match the host's pattern, as {@link ErrorCode#INVALID}. */
    static void requireUserId(String userId, Pattern hostPattern) {
        userIdProblem(userId, hostPattern).ifPresent(problem -> {
            throw new ChatException(ErrorCode.INVALID, problem);
        });
    }

    /** Refuses a blank {@code clientMessageId} (none at all is fine), as {@link ErrorCode#INVALID}. */
    static void requireClientMessageId(String clientMessageId) {
        if (clientMessageId != null && clientMessageId.isBlank()) {
            throw new ChatException(ErrorCode.INVALID, "clientMessageId must not be blank; leave it out instead");
        }
    }

    /** Refuses message text that breaks the rules, as {@link ErrorCode#INVALID}. */
    static void requireText(String text) {
        textProblem(text).ifPresent(problem -> {
            throw new ChatException(ErrorCode.INVALID, problem);
        });
    }

    /** Why {@code userId} is not acceptable, by the rules and the host's pattern, or empty if it is. */
    static Optional<String> userIdProblem(String userId, Pattern hostPattern) {
        if (userId == null || userId.isEmpty()) {
            return Optional.of("user ids must not be empty");
        }
        if (userId.length() > MAX_USER_ID_CHARS) {
            return Optional.of("user ids are at most " + MAX_USER_ID_CHARS + " characters");
        }
        if (hasUnpairedSurrogate(userId)) {
            return Optional.of("user ids must be well-formed Unicode");
        }
        if (userId.codePoints().anyMatch(InputRules::isInvisible) || userId.isBlank()) {
            return Optional.of("user ids must not contain control, format or only blank characters");
        }
        if (!hostPattern.matcher(userId).matches()) {
            return Optional.of("user ids must match " + hostPattern.pattern());
        }
        return Optional.empty();
    }

    /** Why {@code text}, which is not null, is not acceptable as message text, or empty if it is. */
    static Optional<String> textProblem(String text) {
        if (hasUnpairedSurrogate(text)) {
            return Optional.of("text must be well-formed Unicode");
        }
        boolean visible = text.codePoints().anyMatch(c -> !isInvisible(c) && !Character.isWhitespace(c)
                && !Character.isSpaceChar(c));
        return visible ? Optional.empty() : Optional.of("text has nothing visible");
    }

    /**
     * {@code name} without control characters, bidirectional controls or unpaired surrogates; null if nothing is left.
     */
    static String cleanFileName(String name) {
        if (name == null) {
            return null;
        }
        StringBuilder clean = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
                clean.append(c).append(name.charAt(++i));
            } else if (!Character.isSurrogate(c) && !Character.isISOControl(c) && !isBidiControl(c)) {
                clean.append(c);
            }
        }
        return clean.toString().isBlank() ? null : clean.toString();
    }

    /** The marks, embeddings, overrides and isolates of the Unicode bidirectional algorithm. */
    /**
     * Requires a reaction: one emoji, at most {@code maxCodePoints} code points (with its joiners, modifiers and
     * variation selectors), no ASCII (no text, and nothing a store's field names treat specially), no spaces,
     * control or bidirectional characters.
     */
    static void requireEmoji(String emoji, int maxCodePoints) {
        if (emoji == null || emoji.isEmpty()) {
            throw new ChatException(ErrorCode.INVALID, "missing emoji");
        }
        if (hasUnpairedSurrogate(emoji) || emoji.codePointCount(0, emoji.length()) > maxCodePoints) {
            throw new ChatException(ErrorCode.INVALID, "a reaction is one emoji");
        }
        boolean refused = emoji.codePoints().anyMatch(codePoint -> codePoint < 0x80
                || Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint)
                || Character.getType(codePoint) == Character.CONTROL
                || codePoint <= Character.MAX_VALUE && isBidiControl((char) codePoint));
        if (refused) {
            throw new ChatException(ErrorCode.INVALID, "a reaction is one emoji");
        }
    }

    private static boolean isBidiControl(char c) {
        return c == '\u061C' || c == '\u200E' || c == '\u200F' || (c >= '\u202A' && c <= '\u202E')
                || (c >= '\u2066' && c <= '\u2069');
    }

    /** Control characters and format characters (zero-width spaces and joiners, bidirectional controls, BOM). */
    private static boolean isInvisible(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.CONTROL || type == Character.FORMAT;
    }

    private static boolean hasUnpairedSurrogate(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1));
            if (paired) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
