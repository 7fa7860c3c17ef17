package dev.tuntcp.stack;

import dev.tuntcp.tcp.SipHash;
import java.security.SecureRandom;

/**
 * Which of {@code n} event loops owns a TCP connection (issue 9, {@code serve --queues N}): a keyed
 * hash of its 4-tuple, scaled to {@code [0, n)}. Every loop computes the same owner for the same
 * connection from any of its packets, so a packet that the kernel queued on another loop's TUN queue
 * is handed to the owner, and a connection lives on exactly one loop for its whole life (no shared
 * connection table, no locks on the per-segment path).
 *
 * <p>Symmetric: the two endpoints are put in a fixed order before hashing, so a segment from the peer
 * (source = peer) and one to the peer (source = us) give the same owner — the property Linux's
 * {@code __skb_get_hash_symmetric} gives the TUN driver's queue selection. Keyed (SipHash-2-4 with a
 * random secret, as gVisor seeds its TCP dispatcher's hash with a random value): a peer that chooses
 * its source ports cannot pile all its connections onto one loop. The scaling is Linux's
 * {@code reciprocal_scale}: the top 32 hash bits times {@code n}, shifted down, so no division.
 */
public final class FlowSteering {
    private final long k0;
    private final long k1;
    private final int loops;

    /** Steering over {@code loops} loops with a random key. */
    public FlowSteering(int loops) {
        this(loops, new SecureRandom().nextLong(), new SecureRandom().nextLong());
    }

    /** Steering with a fixed key, for repeatable tests. */
    public FlowSteering(int loops, long k0, long k1) {
        if (loops < 1) {
            throw new IllegalArgumentException("need at least one loop, got " + loops);
        }
        this.loops = loops;
        this.k0 = k0;
        this.k1 = k1;
    }

    public int loops() {
        return loops;
    }

    /**
     * The owning loop, in {@code [0, loops)}, of the connection between {@code addressA:portA} and
     * {@code addressB:portB} (either order; ports are the low 16 bits).
     */
    public int owner(int addressA, int portA, int addressB, int portB) {
        if (loops == 1) {
            return 0;
        }
        return (int) (((hash(addressA, portA, addressB, portB) >>> 32) * loops) >>> 32);
    }

    /** The symmetric keyed 64-bit hash of the two endpoints. */
    long hash(int addressA, int portA, int addressB, int portB) {
        long a = (Integer.toUnsignedLong(addressA) << 16) | (portA & 0xffff);
        long b = (Integer.toUnsignedLong(addressB) << 16) | (portB & 0xffff);
        long low = Math.min(a, b); // both are 48-bit non-negative values
        long high = Math.max(a, b);
        return SipHash.hash12(k0, k1, low | (high << 48), (int) (high >>> 16));
    }
}
