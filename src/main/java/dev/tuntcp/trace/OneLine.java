package dev.tuntcp.trace;

/**
 * Makes caller-supplied text (notes, annotations, reasons) safe for a one-line rendering: control
 * characters — line breaks, tabs, and ESC, which would let a note inject terminal escape sequences —
 * become spaces.
 */
final class OneLine {
    private OneLine() {
    }

    static String of(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c >= 0x80 && c < 0xa0) {
                if (sb == null) {
                    sb = new StringBuilder(s);
                }
                sb.setCharAt(i, ' ');
            }
        }
        return sb == null ? s : sb.toString();
    }
}
