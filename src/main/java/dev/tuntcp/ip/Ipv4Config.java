package dev.tuntcp.ip;

import dev.tuntcp.wire.Ipv4Address;

/**
 * The stack's own IPv4 address on the link and the prefix length of the link's subnet (from
 * {@code serve --addr 10.13.0.2 --peer 10.13.0.1/24}: address 10.13.0.2, prefix 24).
 */
public record Ipv4Config(int address, int prefixLength) {

    public Ipv4Config {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is outside 0..32");
        }
    }

    public int netmask() {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    /** The subnet-directed broadcast address (RFC 919/922), or -1 (limited broadcast) for /31 and /32. */
    public int directedBroadcast() {
        return prefixLength >= 31 ? -1 : address | ~netmask();
    }

    /** RFC 1122 §3.2.1.3: a limited or subnet-directed broadcast address of this link. */
    public boolean isBroadcast(int destination) {
        return destination == -1 || destination == directedBroadcast();
    }

    /** RFC 5771: 224.0.0.0/4. */
    public static boolean isMulticast(int address) {
        return (address & 0xf0000000) == 0xe0000000;
    }

    @Override
    public String toString() {
        return Ipv4Address.toString(address) + "/" + prefixLength;
    }
}
