package dev.tuntcp.app;

import io.netty.buffer.ByteBuf;

/** Character classes and comparisons of HTTP syntax (RFC 9110 §5.6, RFC 9112), read from a ByteBuf in place. */
final class HttpSyntax {
    static final byte SP = ' ';
    static final byte HTAB = '\t';

    private HttpSyntax() {
    }

    // RFC 9110 §5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" /
    // "_" / "`" / "|" / "~" / DIGIT / ALPHA
    static boolean isTchar(byte b) {
        return isAlpha(b) || isDigit(b) || "!#$%&'*+-.^_`|~".indexOf(b) >= 0;
    }

    static boolean allTchar(ByteBuf in, int start, int end) {
        for (int i = start; i < end; i++) {
            if (!isTchar(in.getByte(i))) {
                return false;
            }
        }
        return true;
    }

    static boolean isAlpha(byte b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
    }

    static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    static boolean isOws(byte b) {
        return b == SP || b == HTAB;
    }

    static boolean nameIs(ByteBuf in, int start, int length, String lowerName) {
        return length == lowerName.length() && equalsIgnoreCase(in, start, length, lowerName);
    }

    static boolean equalsIgnoreCase(ByteBuf in, int start, int length, String lower) {
        if (length != lower.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            int b = in.getByte(start + i);
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static boolean equalsExactly(ByteBuf in, int start, String text) {
        for (int i = 0; i < text.length(); i++) {
            if (in.getByte(start + i) != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
