package dev.tuntcp.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The little JSON that iperf3's control connection carries (the parameters and the results, RFC 8259
 * text): objects become {@code Map<String, Object>} in document order, arrays {@code List<Object>},
 * strings {@code String}, integers without fraction or exponent that fit {@code Long}, other numbers
 * {@code Double}, {@code true}/{@code false} {@code Boolean}, and {@code null} {@link #NULL}.
 *
 * <p>Malformed text never throws: {@link #parse} answers {@link Parsed#error()} with the reason. Nesting
 * is bounded ({@value #MAX_DEPTH}) so hostile input cannot exhaust the stack. Messages are small and
 * rare (a few per test), so plain objects are fine here: nothing of this runs per segment.
 */
final class IperfJson {
    /** The JSON {@code null} (a map cannot hold Java null as a value we can tell from "absent"). */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };
    static final int MAX_DEPTH = 32;

    private final String text;
    private int at;
    private String error;

    private IperfJson(String text) {
        this.text = text;
    }

    /** The value of a JSON text, or why it is not one. */
    record Parsed(Object value, String error) {
        boolean ok() {
            return error == null;
        }
    }

    static Parsed parse(String text) {
        IperfJson p = new IperfJson(text);
        p.skipSpace();
        Object value = p.value(0);
        if (p.error == null) {
            p.skipSpace();
            if (p.at != text.length()) {
                p.fail("text after the value");
            }
        }
        return p.error != null ? new Parsed(null, p.error + " at offset " + p.at) : new Parsed(value, null);
    }

    private Object fail(String why) {
        if (error == null) {
            error = why;
        }
        return null;
    }

    private void skipSpace() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            at++;
        }
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            return fail("nested deeper than " + MAX_DEPTH);
        }
        if (at >= text.length()) {
            return fail("unexpected end");
        }
        char c = text.charAt(at);
        switch (c) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", NULL);
            default:
                return c == '-' || (c >= '0' && c <= '9') ? number() : fail("unexpected '" + c + "'");
        }
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, at)) {
            return fail("bad literal");
        }
        at += word.length();
        return value;
    }

    private Object object(int depth) {
        at++; // '{'
        Map<String, Object> map = new LinkedHashMap<>();
        skipSpace();
        if (at < text.length() && text.charAt(at) == '}') {
            at++;
            return map;
        }
        while (error == null) {
            skipSpace();
            if (at >= text.length() || text.charAt(at) != '"') {
                return fail("expected a member name");
            }
            String name = string();
            skipSpace();
            if (error != null || at >= text.length() || text.charAt(at) != ':') {
                return fail("expected ':'");
            }
            at++;
            skipSpace();
            Object v = value(depth + 1);
            if (error != null) {
                return null;
            }
            map.put(name, v);
            skipSpace();
            if (at < text.length() && text.charAt(at) == ',') {
                at++;
            } else if (at < text.length() && text.charAt(at) == '}') {
                at++;
                return map;
            } else {
                return fail("expected ',' or '}'");
            }
        }
        return null;
    }

    private Object array(int depth) {
        at++; // '['
        List<Object> list = new ArrayList<>();
        skipSpace();
        if (at < text.length() && text.charAt(at) == ']') {
            at++;
            return list;
        }
        while (error == null) {
            skipSpace();
            Object v = value(depth + 1);
            if (error != null) {
                return null;
            }
            list.add(v);
            skipSpace();
            if (at < text.length() && text.charAt(at) == ',') {
                at++;
            } else if (at < text.length() && text.charAt(at) == ']') {
                at++;
                return list;
            } else {
                return fail("expected ',' or ']'");
            }
        }
        return null;
    }

    private String string() {
        at++; // opening quote
        StringBuilder out = new StringBuilder();
        while (at < text.length()) {
            char c = text.charAt(at++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                fail("control character in a string");
                return null;
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (at >= text.length()) {
                break;
            }
            char e = text.charAt(at++);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (at + 4 > text.length()) {
                        fail("short \\u escape");
                        return null;
                    }
                    int code = 0;
                    for (int i = 0; i < 4; i++) {
                        int d = Character.digit(text.charAt(at++), 16);
                        if (d < 0) {
                            fail("bad \\u escape");
                            return null;
                        }
                        code = code * 16 + d;
                    }
                    out.append((char) code);
                }
                default -> {
                    fail("bad escape");
                    return null;
                }
            }
        }
        fail("unterminated string");
        return null;
    }

    private Object number() {
        int start = at;
        if (text.charAt(at) == '-') {
            at++;
        }
        int digits = at;
        while (at < text.length() && Character.isDigit(text.charAt(at))) {
            at++;
        }
        if (at == digits) {
            return fail("bad number");
        }
        boolean integral = true;
        if (at < text.length() && text.charAt(at) == '.') {
            integral = false;
            at++;
            int fraction = at;
            while (at < text.length() && Character.isDigit(text.charAt(at))) {
                at++;
            }
            if (at == fraction) {
                return fail("bad fraction");
            }
        }
        if (at < text.length() && (text.charAt(at) == 'e' || text.charAt(at) == 'E')) {
            integral = false;
            at++;
            if (at < text.length() && (text.charAt(at) == '+' || text.charAt(at) == '-')) {
                at++;
            }
            int exponent = at;
            while (at < text.length() && Character.isDigit(text.charAt(at))) {
                at++;
            }
            if (at == exponent) {
                return fail("bad exponent");
            }
        }
        String literal = text.substring(start, at);
        if (integral && at - digits <= 18) {
            return Long.parseLong(literal);
        }
        if (integral) {
            java.math.BigInteger big = new java.math.BigInteger(literal);
            if (big.bitLength() < 64) {
                return big.longValue();
            }
        }
        return Double.parseDouble(literal); // the grammar above admits only what parseDouble accepts
    }

    /** Compact JSON text of {@code value} (the types {@link #parse} produces, plus Integer). */
    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out) {
        if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                writeString(String.valueOf(e.getKey()), out);
                out.append(':');
                write(e.getValue(), out);
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(list.get(i), out);
            }
            out.append(']');
        } else if (value instanceof String s) {
            writeString(s, out);
        } else if (value instanceof Double d) {
            out.append(d.isNaN() || d.isInfinite() ? "0" : d.toString());
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else {
            out.append("null");
        }
    }

    private static void writeString(String s, StringBuilder out) {
        dev.tuntcp.stats.JsonText.appendQuoted(s, out);
    }
}
