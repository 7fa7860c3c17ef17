package dev.tuntcp.ip;

import dev.tuntcp.stack.Counters;
import dev.tuntcp.stack.Timer;
import dev.tuntcp.stack.TimerQueue;
import dev.tuntcp.wire.InternetChecksum;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayDeque;

/**
 * IPv4 fragment reassembly (RFC 791 §3.2, RFC 815, RFC 1122 §3.3.2), keyed by (source, destination,
 * protocol, identification).
 *
 * <p>Each datagram keeps its fragments sorted by offset; since overlaps are refused, "complete" is
 * simply "the last fragment is here and the bytes held add up to its end". Rules:
 * <ul>
 *   <li>an exact duplicate (same offset and length) is dropped alone ({@link ReassemblyDrop#DUPLICATE});</li>
 *   <li>any other overlap discards the whole datagram and, until its timeout, every later fragment of
 *       it (RFC 5722's rule; {@link ReassemblyDrop#OVERLAP});</li>
 *   <li>a datagram not complete within the timeout is discarded, and if fragment zero was seen the
 *       {@link TimeoutListener} may send ICMP Time Exceeded code 1 (RFC 1122 §3.3.2 MUST);</li>
 *   <li>memory held is bounded globally; at the bound the oldest datagram is evicted (new traffic
 *       wins over stale, as in Linux), and the number of datagrams and of fragments per datagram are
 *       bounded too.</li>
 * </ul>
 *
 * <p>Owned by the event-loop thread. Steady state allocates nothing but the reassembled datagram:
 * datagram records and their arrays are pooled; lookups use an intrusive hash table.
 */
public final class FragmentReassembler implements AutoCloseable {

    /** Told when a datagram times out with fragment zero present (to send ICMP Time Exceeded). */
    @FunctionalInterface
    public interface TimeoutListener {
        /**
         * @param firstFragment the offset-zero fragment, borrowed: valid only during the call, not to
         *                      be released or kept
         */
        void onReassemblyTimeout(ByteBuf firstFragment);
    }

    /** Limits; the defaults follow Linux ({@code ipfrag_time} 30 s, {@code ipfrag_high_thresh} 4 MiB). */
    public static final class Limits {
        public final long timeoutNanos;
        public final long memoryBytes;
        public final int maxDatagrams;
        public final int maxFragmentsPerDatagram;

        public Limits(long timeoutNanos, long memoryBytes, int maxDatagrams, int maxFragmentsPerDatagram) {
            if (timeoutNanos <= 0 || memoryBytes <= 0 || maxDatagrams <= 0 || maxFragmentsPerDatagram <= 0) {
                throw new IllegalArgumentException("reassembly limits must be positive");
            }
            this.timeoutNanos = timeoutNanos;
            this.memoryBytes = memoryBytes;
            this.maxDatagrams = maxDatagrams;
            this.maxFragmentsPerDatagram = maxFragmentsPerDatagram;
        }

        public static Limits defaults() {
            return new Limits(30_000_000_000L, 4L << 20, 1024, 2048);
        }
    }

    static final int MAX_DATAGRAM = 65535;
    private static final int BUCKETS = 256;
    /** Bookkeeping charged per fragment on top of its buffer. */
    private static final int FRAGMENT_OVERHEAD = 64;

    private final TimerQueue timers;
    private final Counters counters;
    private final ByteBufAllocator alloc;
    private final Limits limits;
    private TimeoutListener timeoutListener;

    private final Datagram[] buckets = new Datagram[BUCKETS];
    private final ArrayDeque<Datagram> pool = new ArrayDeque<>();
    /** Oldest first; eviction takes from here. */
    private Datagram oldest;
    private Datagram newest;
    private int datagrams;
    private long memory;

    public FragmentReassembler(TimerQueue timers, Counters counters, ByteBufAllocator alloc, Limits limits) {
        this.timers = timers;
        this.counters = counters;
        this.alloc = alloc;
        this.limits = limits;
    }

    public void setTimeoutListener(TimeoutListener listener) {
        this.timeoutListener = listener;
    }

    /**
     * Adds one fragment of a validated IPv4 packet (MF set or offset non-zero).
     *
     * @param packet       the whole IPv4 packet from {@code readerIndex}; ownership passes here (it is
     *                     kept until reassembly or released)
     * @param headerLength IHL in bytes
     * @param payloadLength total length minus header length
     * @param offsetBytes  fragment offset times 8
     * @return the reassembled datagram (a new buffer the caller owns: header of the first fragment with
     *         total length, flags and checksum fixed, then the payload), or {@code null} while incomplete
     *         or when the fragment was dropped (counted)
     */
    public ByteBuf offer(ByteBuf packet, int headerLength, int payloadLength, int source, int destination,
                         int protocol, int identification, int offsetBytes, boolean moreFragments) {
        int end = offsetBytes + payloadLength;
        if (payloadLength == 0 || (moreFragments && (payloadLength & 7) != 0)) {
            return drop(packet, ReassemblyDrop.MISALIGNED);
        }
        if (end + headerLength > MAX_DATAGRAM) {
            return drop(packet, ReassemblyDrop.TOO_LARGE);
        }
        Datagram d = find(source, destination, protocol, identification);
        if (d == null) {
            d = create(source, destination, protocol, identification);
        } else if (d.discarded) {
            return drop(packet, ReassemblyDrop.AFTER_DISCARD);
        }
        if (!moreFragments) {
            if ((d.end >= 0 && d.end != end) || d.maxEnd() > end) {
                return discard(d, packet, ReassemblyDrop.INCONSISTENT_LENGTH);
            }
        } else if (d.end >= 0 && end > d.end) {
            return discard(d, packet, ReassemblyDrop.INCONSISTENT_LENGTH);
        }
        int pos = d.insertionPoint(offsetBytes);
        if (pos < d.count && d.offsets[pos] == offsetBytes && d.lengths[pos] == payloadLength) {
            // Only the last fragment (MF clear) ends at the datagram's end; same bytes with a
            // different MF flag is a contradiction, handled below as an overlap.
            boolean heldIsLast = d.end >= 0 && offsetBytes + payloadLength == d.end;
            if (heldIsLast != moreFragments) {
                return drop(packet, ReassemblyDrop.DUPLICATE);
            }
        }
        boolean overlapsPrevious = pos > 0 && d.offsets[pos - 1] + d.lengths[pos - 1] > offsetBytes;
        boolean overlapsNext = pos < d.count && end > d.offsets[pos];
        if (overlapsPrevious || overlapsNext) {
            return discard(d, packet, ReassemblyDrop.OVERLAP);
        }
        if (d.count >= limits.maxFragmentsPerDatagram) {
            return discard(d, packet, ReassemblyDrop.TOO_MANY_FRAGMENTS);
        }
        ByteBuf kept = compact(packet, headerLength, payloadLength);
        int dataIndex = kept.readerIndex() + headerLength;
        int charge = kept.capacity() + FRAGMENT_OVERHEAD;
        if (!makeRoom(d, charge)) {
            return discard(d, kept, ReassemblyDrop.MEMORY_LIMIT);
        }
        d.insert(pos, kept, dataIndex, offsetBytes, payloadLength, offsetBytes == 0 ? headerLength : 0);
        d.memory += charge;
        memory += charge;
        if (!moreFragments) {
            d.end = end;
        }
        if (d.end >= 0 && d.received == d.end) {
            return complete(d);
        }
        return null;
    }

    /** Datagrams being reassembled (including discarded ones waiting out their timeout). */
    public int datagramsInProgress() {
        return datagrams;
    }

    /** Bytes charged against the memory bound. */
    public long memoryHeld() {
        return memory;
    }

    /** Releases every fragment held. */
    @Override
    public void close() {
        while (oldest != null) {
            Datagram d = oldest;
            if (!d.discarded) {
                counters.increment(ReassemblyDrop.CLOSED);
            }
            remove(d);
        }
    }

    // ---- datagram lifecycle -----------------------------------------------------------------

    private Datagram create(int source, int destination, int protocol, int identification) {
        if (datagrams >= limits.maxDatagrams) {
            evictOldest();
        }
        Datagram d = pool.pollFirst();
        if (d == null) {
            d = new Datagram();
        }
        d.source = source;
        d.destination = destination;
        d.protocol = protocol;
        d.identification = identification;
        d.end = -1;
        d.discarded = false;
        int b = bucket(source, destination, protocol, identification);
        d.nextInBucket = buckets[b];
        buckets[b] = d;
        d.older = newest;
        d.newer = null;
        if (newest != null) {
            newest.newer = d;
        } else {
            oldest = d;
        }
        newest = d;
        datagrams++;
        timers.scheduleIn(d, limits.timeoutNanos);
        return d;
    }

    private Datagram find(int source, int destination, int protocol, int identification) {
        for (Datagram d = buckets[bucket(source, destination, protocol, identification)]; d != null;
             d = d.nextInBucket) {
            if (d.source == source && d.destination == destination && d.protocol == protocol
                    && d.identification == identification) {
                return d;
            }
        }
        return null;
    }

    /** Evicts the oldest datagrams other than {@code keep} until {@code charge} more bytes fit. */
    private boolean makeRoom(Datagram keep, int charge) {
        while (memory + charge > limits.memoryBytes) {
            Datagram victim = oldest;
            if (victim == keep) {
                victim = keep.newer;
            }
            if (victim == null) {
                return false;
            }
            evict(victim);
        }
        return true;
    }

    private void evictOldest() {
        if (oldest != null) {
            evict(oldest);
        }
    }

    private void evict(Datagram d) {
        if (!d.discarded) {
            counters.increment(ReassemblyDrop.MEMORY_LIMIT);
        }
        remove(d);
    }

    /** Drops the whole datagram now but keeps its key until the timeout, so later fragments die too. */
    private ByteBuf discard(Datagram d, ByteBuf packet, ReassemblyDrop reason) {
        packet.release();
        counters.increment(reason);
        memory -= d.memory;
        d.releaseFragments();
        d.discarded = true;
        return null;
    }

    private ByteBuf drop(ByteBuf packet, ReassemblyDrop reason) {
        packet.release();
        counters.increment(reason);
        return null;
    }

    private void onTimeout(Datagram d) {
        if (!d.discarded) {
            counters.increment(ReassemblyDrop.TIMEOUT);
            if (timeoutListener != null && d.count > 0 && d.offsets[0] == 0) {
                ByteBuf first = d.fragments[0];
                timeoutListener.onReassemblyTimeout(first.slice(first.readerIndex(), first.readableBytes()));
            }
        }
        remove(d);
    }

    private ByteBuf complete(Datagram d) {
        ByteBuf first = d.fragments[0];
        int headerLength = d.firstHeaderLength;
        int total = headerLength + d.end;
        if (total > MAX_DATAGRAM) {
            // Only possible when fragment zero's header is longer than the one checked on arrival.
            counters.increment(ReassemblyDrop.TOO_LARGE);
            memory -= d.memory;
            d.releaseFragments();
            d.discarded = true;
            return null;
        }
        ByteBuf out = alloc.buffer(total);
        out.writeBytes(first, first.readerIndex(), headerLength);
        for (int i = 0; i < d.count; i++) {
            out.writeBytes(d.fragments[i], d.dataIndexes[i], d.lengths[i]);
        }
        int base = out.readerIndex();
        // RFC 791 §3.2: the reassembled header is the first fragment's, with the total length of the
        // whole datagram and the fragment fields cleared.
        out.setShort(base + 2, total);
        out.setShort(base + 6, out.getUnsignedShort(base + 6) & 0x4000); // keep DF, clear MF and offset
        out.setShort(base + 10, 0);
        out.setShort(base + 10, InternetChecksum.checksum(out, base, headerLength));
        remove(d);
        return out;
    }

    /** Unlinks {@code d} from the table, the age list and the timers, and returns it to the pool. */
    private void remove(Datagram d) {
        timers.cancel(d);
        memory -= d.memory;
        d.releaseFragments();
        int b = bucket(d.source, d.destination, d.protocol, d.identification);
        if (buckets[b] == d) {
            buckets[b] = d.nextInBucket;
        } else {
            Datagram p = buckets[b];
            while (p.nextInBucket != d) {
                p = p.nextInBucket;
            }
            p.nextInBucket = d.nextInBucket;
        }
        d.nextInBucket = null;
        if (d.older != null) {
            d.older.newer = d.newer;
        } else {
            oldest = d.newer;
        }
        if (d.newer != null) {
            d.newer.older = d.older;
        } else {
            newest = d.older;
        }
        d.older = null;
        d.newer = null;
        datagrams--;
        pool.addFirst(d);
    }

    /**
     * Keeps a fragment in a right-sized buffer when the one it arrived in is mostly empty (a link
     * that reads into 64 KiB buffers), so the memory bound counts bytes actually needed. The copy
     * keeps the packet's layout: header, then payload, from index 0.
     */
    private ByteBuf compact(ByteBuf packet, int headerLength, int payloadLength) {
        int needed = headerLength + payloadLength;
        if (packet.capacity() <= 2 * needed + 256) {
            return packet;
        }
        ByteBuf copy = alloc.buffer(needed);
        copy.writeBytes(packet, packet.readerIndex(), needed);
        packet.release();
        return copy;
    }

    private static int bucket(int source, int destination, int protocol, int identification) {
        int h = source * 31 + destination;
        h = h * 31 + (protocol << 16 | identification);
        h ^= h >>> 16;
        return h & (BUCKETS - 1);
    }

    /** One datagram being reassembled; also its own timeout timer. */
    private final class Datagram extends Timer {
        int source;
        int destination;
        int protocol;
        int identification;
        /** The datagram's payload length once the last fragment (MF clear) arrived, else -1. */
        int end = -1;
        int received;
        long memory;
        int firstHeaderLength;
        boolean discarded;
        Datagram nextInBucket;
        Datagram older;
        Datagram newer;

        int count;
        ByteBuf[] fragments = new ByteBuf[8];
        int[] dataIndexes = new int[8];
        int[] offsets = new int[8];
        int[] lengths = new int[8];

        @Override
        protected void onExpire() {
            onTimeout(this);
        }

        int maxEnd() {
            return count == 0 ? 0 : offsets[count - 1] + lengths[count - 1];
        }

        /** The index of the first fragment whose offset is not below {@code offset}. */
        int insertionPoint(int offset) {
            int lo = 0;
            int hi = count;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (offsets[mid] < offset) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        void insert(int pos, ByteBuf fragment, int dataIndex, int offset, int length, int headerLength) {
            if (count == offsets.length) {
                int n = count * 2;
                fragments = java.util.Arrays.copyOf(fragments, n);
                dataIndexes = java.util.Arrays.copyOf(dataIndexes, n);
                offsets = java.util.Arrays.copyOf(offsets, n);
                lengths = java.util.Arrays.copyOf(lengths, n);
            }
            int tail = count - pos;
            System.arraycopy(fragments, pos, fragments, pos + 1, tail);
            System.arraycopy(dataIndexes, pos, dataIndexes, pos + 1, tail);
            System.arraycopy(offsets, pos, offsets, pos + 1, tail);
            System.arraycopy(lengths, pos, lengths, pos + 1, tail);
            fragments[pos] = fragment;
            dataIndexes[pos] = dataIndex;
            offsets[pos] = offset;
            lengths[pos] = length;
            count++;
            received += length;
            if (offset == 0) {
                firstHeaderLength = headerLength;
            }
        }

        void releaseFragments() {
            for (int i = 0; i < count; i++) {
                fragments[i].release();
                fragments[i] = null;
            }
            count = 0;
            received = 0;
            memory = 0;
        }
    }
}
