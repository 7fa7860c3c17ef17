package dev.tuntcp.ip;

import java.security.SecureRandom;
import java.util.SplittableRandom;

/**
 * IPv4 Identification values (RFC 791 §3.2, RFC 6864, RFC 7739).
 *
 * <p>RFC 6864 §4: the ID only has to be unique per (source, destination, protocol) for datagrams that
 * may be fragmented, within the maximum datagram lifetime. A single global counter would satisfy that
 * but leaks our packet rate to every peer and allows idle-scan style inference (RFC 7739 §5.2-5.3).
 * So, like Linux's {@code ip_idents}, the (source, destination, protocol) triple is hashed with a
 * secret key into one of many counters, each starting at a random value: a peer sees a counter that
 * only it (and whoever hashes to the same bucket) advances.
 *
 * <p>Owned by the event-loop thread. Allocation free.
 */
public final class IpIdGenerator {
    private static final int BUCKETS = 2048;

    private final int[] counters = new int[BUCKETS];
    private final long key;

    /** Random secret key and starting values, for production. */
    public IpIdGenerator() {
        this(new SecureRandom().nextLong());
    }

    /** Deterministic, for tests. */
    public IpIdGenerator(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        this.key = random.nextLong();
        for (int i = 0; i < BUCKETS; i++) {
            counters[i] = random.nextInt();
        }
    }

    /** The next 16-bit identification for a datagram from {@code source} to {@code destination}. */
    public int next(int source, int destination, int protocol) {
        long h = ((long) source << 32 | (destination & 0xffffffffL)) ^ key;
        h = (h ^ (h >>> 33)) * 0xff51afd7ed558ccdL;
        h ^= protocol * 0x9E3779B97F4A7C15L;
        h = (h ^ (h >>> 33)) * 0xc4ceb9fe1a85ec53L;
        int bucket = (int) (h >>> 53) & (BUCKETS - 1);
        return ++counters[bucket] & 0xffff;
    }
}
