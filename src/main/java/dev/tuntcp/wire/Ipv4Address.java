package dev.tuntcp.wire;

/** IPv4 addresses held as a big-endian {@code int} (10.13.0.1 is {@code 0x0a0d0001}). */
public final class Ipv4Address {
    private Ipv4Address() {
    }

    /** The address a.b.c.d. */
    public static int of(int a, int b, int c, int d) {
        return (a & 0xff) << 24 | (b & 0xff) << 16 | (c & 0xff) << 8 | (d & 0xff);
    }

    /**
     * Parses dotted-quad text (not for the hot path).
     *
     * @throws IllegalArgumentException if the text is not four decimal octets (configuration input,
     *     not packet input)
     */
    public static int parse(String dotted) {
        String[] parts = dotted.trim().split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + dotted);
        }
        int address = 0;
        for (String part : parts) {
            int octet;
            try {
                octet = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an IPv4 address: " + dotted, e);
            }
            if (octet < 0 || octet > 255 || part.isEmpty() || part.length() > 3) {
                throw new IllegalArgumentException("not an IPv4 address: " + dotted);
            }
            address = address << 8 | octet;
        }
        return address;
    }

    /** Dotted-quad text of an address. */
    public static String toString(int address) {
        return (address >>> 24) + "." + (address >>> 16 & 0xff) + "." + (address >>> 8 & 0xff) + "." + (address & 0xff);
    }

    /** Appends the dotted-quad text without building an intermediate String. */
    public static StringBuilder append(StringBuilder sb, int address) {
        return sb.append(address >>> 24).append('.').append(address >>> 16 & 0xff).append('.')
                .append(address >>> 8 & 0xff).append('.').append(address & 0xff);
    }
}
