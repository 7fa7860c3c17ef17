package dev.tuntcp.trace;

import dev.tuntcp.wire.Ipv4Address;

/**
 * An IPv4 address and port.
 *
 * @param address big-endian IPv4 address as {@link Ipv4Address} holds it
 * @param port 0..65535
 */
public record Endpoint(int address, int port) {
    public Endpoint {
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("port out of range 0..65535: " + port);
        }
    }

    /** {@code Endpoint.of("10.13.0.1", 45678)} (configuration/test input, not packet input). */
    public static Endpoint of(String dotted, int port) {
        return new Endpoint(Ipv4Address.parse(dotted), port);
    }

    /** {@code 10.13.0.1:45678}. */
    @Override
    public String toString() {
        return Ipv4Address.append(new StringBuilder(21), address).append(':').append(port).toString();
    }
}
