package dev.chatwire.jakarta;

import dev.chatwire.core.ChatException;
import dev.chatwire.core.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;

/** Typed query parameters: absent or empty reads as {@code null}; anything but a whole number is 400. */
final class QueryParameters {

    private QueryParameters() {
    }

    /** A whole-number parameter, or null when it is absent or empty. */
    static Long longValue(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ChatException(ErrorCode.INVALID, "query parameter '" + name + "' must be an integer");
        }
    }

    /** A whole-number parameter within the range of an int, or null when it is absent or empty. */
    static Integer intValue(HttpServletRequest request, String name) {
        Long value = longValue(request, name);
        if (value == null) {
            return null;
        }
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new ChatException(ErrorCode.INVALID, "query parameter '" + name + "' is out of range");
        }
        return value.intValue();
    }

    /** A text parameter, or null when it is absent or empty. */
    static String text(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
        return value == null || value.isEmpty() ? null : value;
    }
}
