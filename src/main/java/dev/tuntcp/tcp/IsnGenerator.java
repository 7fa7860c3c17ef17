package dev.tuntcp.tcp;

/**
 * Chooses the initial send sequence number (ISS) of a new connection (RFC 9293 §3.4.1). The stack's
 * default is {@link KeyedIsnGenerator} (RFC 6528); tests may fix the ISS to exercise wrap-around.
 */
@FunctionalInterface
public interface IsnGenerator {
    int initialSequenceNumber(int localAddress, int localPort, int remoteAddress, int remotePort);
}
