package dev.tuntcp.socket;

/**
 * Dotted-quad IPv4 text to and from the big-endian {@code int} the stack uses. Deliberately no DNS:
 * the stack has no resolver, and a host name must never send a query out of the host namespace.
 */
public final class Ipv4Literal {
    /** Returned by {@link #parse} for text that is not a dotted quad. */
    public static final long INVALID = -1L;

    private Ipv4Literal() {
    }

    /**
     * Parses {@code a.b.c.d} (each part 0-255 in decimal without leading zeros) into the address as an
     * unsigned value in the low 32 bits; {@link #INVALID} for anything else. Never throws.
     */
    public static long parse(String text) {
        if (text == null) {
            return INVALID;
        }
        long address = 0;
        int parts = 0;
        int i = 0;
        int n = text.length();
        while (parts < 4) {
            int start = i;
            int value = 0;
            while (i < n && i - start < 3 && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                value = value * 10 + (text.charAt(i) - '0');
                i++;
            }
            // A leading zero is refused: inet_aton would read "010" as octal 8.
            if (i == start || value > 255 || (i - start > 1 && text.charAt(start) == '0')) {
                return INVALID;
            }
            address = (address << 8) | value;
            parts++;
            if (parts < 4) {
                if (i >= n || text.charAt(i) != '.') {
                    return INVALID;
                }
                i++;
            }
        }
        return i == n ? address : INVALID;
    }

    /** The dotted quad of a big-endian address. */
    public static String format(int address) {
        return ((address >>> 24) & 0xff) + "." + ((address >>> 16) & 0xff) + "."
                + ((address >>> 8) & 0xff) + "." + (address & 0xff);
    }
}
