package dev.tuntcp.tcp;

import java.security.SecureRandom;
import java.util.function.Consumer;

/**
 * The connections of one {@link TcpLayer}, keyed by 4-tuple (local address and port, remote address
 * and port). Open addressing with linear probing over parallel primitive arrays: a lookup allocates
 * nothing. The hash is keyed with a random seed so a peer cannot aim its 4-tuples at one chain.
 * Deletion shifts later entries back (no tombstones), so chains never rot.
 */
final class ConnectionTable {
    private static final int MIN_CAPACITY = 16;

    private final long seed;
    private long[] addresses;   // localAddress << 32 | remoteAddress
    private int[] ports;        // localPort << 16 | remotePort
    private Connection[] values;
    private int size;

    ConnectionTable() {
        this(new SecureRandom().nextLong());
    }

    ConnectionTable(long seed) {
        this.seed = seed;
        allocate(MIN_CAPACITY);
    }

    int size() {
        return size;
    }

    /** The connection with this 4-tuple, or null. */
    Connection find(int localAddress, int localPort, int remoteAddress, int remotePort) {
        long a = addressKey(localAddress, remoteAddress);
        int p = portKey(localPort, remotePort);
        int mask = values.length - 1;
        for (int i = slot(a, p, mask); ; i = (i + 1) & mask) {
            Connection c = values[i];
            if (c == null) {
                return null;
            }
            if (addresses[i] == a && ports[i] == p) {
                return c;
            }
        }
    }

    /** Adds {@code c} under its 4-tuple; returns false (and adds nothing) if the tuple is taken. */
    boolean add(Connection c) {
        if (find(c.localAddress, c.localPort, c.remoteAddress, c.remotePort) != null) {
            return false;
        }
        if ((size + 1) * 2 > values.length) {
            resize(values.length * 2);
        }
        insert(addressKey(c.localAddress, c.remoteAddress), portKey(c.localPort, c.remotePort), c);
        size++;
        return true;
    }

    /** Removes {@code c} if it is the connection stored under its 4-tuple; returns whether it was. */
    boolean remove(Connection c) {
        long a = addressKey(c.localAddress, c.remoteAddress);
        int p = portKey(c.localPort, c.remotePort);
        int mask = values.length - 1;
        int i = slot(a, p, mask);
        while (values[i] != null) {
            if (addresses[i] == a && ports[i] == p) {
                if (values[i] != c) {
                    return false;
                }
                deleteAt(i, mask);
                size--;
                return true;
            }
            i = (i + 1) & mask;
        }
        return false;
    }

    /** Visits every connection; {@code action} must not add or remove connections. */
    void forEach(Consumer<Connection> action) {
        for (Connection c : values) {
            if (c != null) {
                action.accept(c);
            }
        }
    }

    /** A snapshot of the connections, safe to iterate while they are removed. */
    Connection[] toArray() {
        Connection[] out = new Connection[size];
        int n = 0;
        for (Connection c : values) {
            if (c != null) {
                out[n++] = c;
            }
        }
        return out;
    }

    // Backward-shift deletion for linear probing (Knuth 6.4 Algorithm R).
    private void deleteAt(int hole, int mask) {
        int i = hole;
        while (true) {
            i = (i + 1) & mask;
            Connection c = values[i];
            if (c == null) {
                break;
            }
            int home = slot(addresses[i], ports[i], mask);
            // Move entry i into the hole unless its home lies cyclically in (hole, i].
            boolean homeBetween = hole <= i ? (home > hole && home <= i) : (home > hole || home <= i);
            if (!homeBetween) {
                values[hole] = c;
                addresses[hole] = addresses[i];
                ports[hole] = ports[i];
                hole = i;
            }
        }
        values[hole] = null;
        addresses[hole] = 0;
        ports[hole] = 0;
    }

    private void insert(long a, int p, Connection c) {
        int mask = values.length - 1;
        int i = slot(a, p, mask);
        while (values[i] != null) {
            i = (i + 1) & mask;
        }
        values[i] = c;
        addresses[i] = a;
        ports[i] = p;
    }

    private void resize(int capacity) {
        long[] oldAddresses = addresses;
        int[] oldPorts = ports;
        Connection[] oldValues = values;
        allocate(capacity);
        for (int i = 0; i < oldValues.length; i++) {
            if (oldValues[i] != null) {
                insert(oldAddresses[i], oldPorts[i], oldValues[i]);
            }
        }
    }

    private void allocate(int capacity) {
        addresses = new long[capacity];
        ports = new int[capacity];
        values = new Connection[capacity];
    }

    private int slot(long a, int p, int mask) {
        long h = a * 0x9E3779B97F4A7C15L ^ (p + seed);
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 29;
        h += seed;
        h *= 0x94D049BB133111EBL;
        h ^= h >>> 32;
        return (int) h & mask;
    }

    private static long addressKey(int local, int remote) {
        return ((long) local << 32) | Integer.toUnsignedLong(remote);
    }

    private static int portKey(int localPort, int remotePort) {
        return (localPort << 16) | (remotePort & 0xffff);
    }
}
