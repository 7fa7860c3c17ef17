package dev.tuntcp.trace;

/** How renderers print sequence and acknowledgment numbers. */
public enum SeqStyle {
    /** As on the wire: {@code seq 3571820115:3571820215 ack 2000000001}. */
    ABSOLUTE,
    /** Relative to each direction's ISN, like tcpdump: {@code seq 1:101 ack 1}. */
    RELATIVE,
    /** Relative with the absolute value after it: {@code seq 1:101 (abs 3571820115) ack 1 (abs 2000000001)}. */
    BOTH
}
