package dev.tuntcp.link;

/**
 * An IPv4 interface address with its prefix length, such as the kernel side of the TUN link
 * ({@code --peer 10.13.0.1/24}). Addresses are held as 32-bit ints in network (big-endian) order of
 * significance: {@code 10.13.0.1} is {@code 0x0a0d0001}.
 */
public record PeerAddress(int address, int prefixLength) {

    public PeerAddress {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is outside 0..32");
        }
    }

    /**
     * Parses {@code A.B.C.D/LEN}; throws {@link LinkSetupException} ({@code BAD_CONFIG}) with a
     * one-line message naming the expected form.
     */
    public static PeerAddress parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw bad(text);
        }
        int address;
        int prefix;
        try {
            address = parseIpv4(text.substring(0, slash));
            prefix = Integer.parseInt(text.substring(slash + 1));
        } catch (IllegalArgumentException e) {
            throw bad(text);
        }
        if (prefix < 1 || prefix > 32) {
            throw bad(text);
        }
        return new PeerAddress(address, prefix);
    }

    /** Parses a dotted quad {@code A.B.C.D}; throws {@link IllegalArgumentException} otherwise. */
    public static int parseIpv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + text);
        }
        int value = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("not an IPv4 address: " + text);
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + text);
            }
            value = (value << 8) | octet;
        }
        return value;
    }

    /** Formats a 32-bit address as a dotted quad. */
    public static String formatIpv4(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "." + (address & 0xff);
    }

    /** The netmask, e.g. {@code 0xffffff00} for /24. */
    public int netmask() {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    /** Whether {@code other} lies in this address's subnet. */
    public boolean contains(int other) {
        return (other & netmask()) == (address & netmask());
    }

    /** The prefix length of a contiguous netmask, or -1 when the mask has holes. */
    public static int prefixOf(int netmask) {
        int prefix = Integer.bitCount(netmask);
        return netmask == (prefix == 0 ? 0 : -1 << (32 - prefix)) ? prefix : -1;
    }

    @Override
    public String toString() {
        return formatIpv4(address) + "/" + prefixLength;
    }

    private static LinkSetupException bad(String text) {
        return new LinkSetupException(LinkSetupException.Reason.BAD_CONFIG, 0,
                "bad address '" + text + "' — expected A.B.C.D/LEN with LEN in 1..32, e.g. 10.13.0.1/24");
    }
}
