package dev.tuntcp.stats;

/**
 * The one JSON string escaper of the project (RFC 8259 §7: quotation mark, reverse solidus and the
 * control characters U+0000-U+001F must be escaped), for `stats --json` and the iperf3 service's
 * messages alike.
 */
public final class JsonText {
    private JsonText() {
    }

    /** Appends {@code s} to {@code out} as a quoted JSON string. */
    public static StringBuilder appendQuoted(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }
}
