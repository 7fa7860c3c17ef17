package dev.tuntcp.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The scoreboard's range arithmetic agrees, for any set of SACK blocks, with RFC 6675 §4's
 * definitions evaluated octet by octet on a plain boolean array: IsLost, SetPipe ("pipe") and NextSeg
 * rules (1) and (3), across the 2^32 wrap.
 */
class SackScoreboardProperties {

    /** A block as offsets from HighACK: left in [1, span), length in [1, span]. */
    record Block(int left, int length) {
    }

    @Property(tries = 400)
    void agreesWithTheOctetByOctetDefinitions(@ForAll int highAck,
                                              @ForAll @IntRange(min = 1, max = 12_000) int span,
                                              @ForAll @IntRange(min = 1, max = 1500) int mss,
                                              @ForAll @Size(max = 24) List<@IntRange(min = 0, max = Integer.MAX_VALUE) Integer> lefts,
                                              @ForAll @Size(max = 24) List<@IntRange(min = 1, max = 4000) Integer> lengths,
                                              @ForAll @IntRange(min = 0, max = 12_000) int rxtOffset,
                                              @ForAll @IntRange(min = 0, max = 12_000) int ackAdvance) {
        int highData = highAck + span;
        SackScoreboard board = new SackScoreboard(64);
        boolean[] sacked = new boolean[span];
        for (int i = 0; i < Math.min(lefts.size(), lengths.size()); i++) {
            if (span < 2) {
                break;
            }
            int left = 1 + lefts.get(i) % (span - 1);
            int right = Math.min(span, left + lengths.get(i));
            int before = count(sacked);
            for (int o = left; o < right; o++) {
                sacked[o] = true;
            }
            int added = board.add(highAck + left, highAck + right);
            assertEquals(count(sacked) - before, added, "newly SACKed octets");
        }
        // the cumulative ACK may move up too
        int advance = Math.min(ackAdvance, span) % (span + 1);
        int ack = highAck + advance;
        board.acknowledge(ack);
        for (int o = 0; o < advance; o++) {
            sacked[o] = false;
        }
        int rxt = Math.min(rxtOffset, span);
        board.setHighRxt(highAck + rxt);

        assertEquals(count(sacked), board.sackedBytes(), "SACKed octets");
        for (int o = advance; o < span; o += 1 + o % 7) {
            assertEquals(sacked[o], board.isSacked(highAck + o), "isSacked at offset " + o);
        }
        // IsLost for every un-SACKed octet
        boolean[] lost = naiveIsLost(sacked, mss);
        for (int o = advance; o < span; o++) {
            if (!sacked[o]) {
                assertEquals(lost[o], board.isLost(highAck + o, ack, mss), "IsLost at offset " + o);
            }
        }
        assertEquals(naivePipe(sacked, lost, advance, rxt), board.pipe(ack, highData, mss), "pipe");
        for (boolean lostOnly : new boolean[] {true, false}) {
            long want = naiveNextSeg(sacked, lost, advance, rxt, mss, lostOnly);
            long got = board.nextSegment(ack, mss, lostOnly);
            if (want < 0) {
                assertEquals(-1, got, "NextSeg rule " + (lostOnly ? 1 : 3) + " finds nothing");
            } else {
                assertEquals(want >>> 32, got >>> 32, "NextSeg length");
                assertEquals(highAck + (int) want, (int) got, "NextSeg sequence number");
            }
        }
        // the ranges are sorted, disjoint and not touching
        for (int i = 1; i < board.rangeCount(); i++) {
            assertTrue(board.right(i - 1) - board.left(i) < 0, "ranges merged and ordered");
        }
    }

    /** Whatever a peer SACKs, a full scoreboard only forgets: it never claims an octet that was not SACKed. */
    @Property(tries = 200)
    void aFullScoreboardForgetsButNeverInvents(@ForAll int highAck,
                                               @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 500) Integer> lefts) {
        SackScoreboard board = new SackScoreboard(4);
        boolean[] sacked = new boolean[1000];
        for (int left : lefts) {
            int l = 1 + left * 2 - left % 2;
            int r = Math.min(1000, l + 1 + left % 3);
            for (int o = l; o < r; o++) {
                sacked[o] = true;
            }
            board.add(highAck + l, highAck + r);
            assertTrue(board.rangeCount() <= 4);
        }
        for (int o = 0; o < 1000; o++) {
            if (board.isSacked(highAck + o)) {
                assertTrue(sacked[o], "claims offset " + o);
            }
        }
    }

    private static int count(boolean[] a) {
        int n = 0;
        for (boolean b : a) {
            n += b ? 1 : 0;
        }
        return n;
    }

    /**
     * IsLost for every offset: DupThresh discontiguous SACKed runs above it, or more than
     * (DupThresh - 1) * SMSS SACKed octets above it, counted in one pass from the top.
     */
    private static boolean[] naiveIsLost(boolean[] sacked, int mss) {
        boolean[] lost = new boolean[sacked.length];
        int runs = 0;
        int octets = 0;
        for (int o = sacked.length - 1; o >= 0; o--) {
            lost[o] = runs >= 3 || octets > 2 * mss; // counts cover octets strictly above o
            if (sacked[o]) {
                octets++;
                if (o == sacked.length - 1 || !sacked[o + 1]) {
                    runs++;
                }
            }
        }
        return lost;
    }

    private static int naivePipe(boolean[] sacked, boolean[] lost, int ack, int rxt) {
        int pipe = 0;
        for (int o = ack; o < sacked.length; o++) {
            if (sacked[o]) {
                continue;
            }
            if (!lost[o]) {
                pipe++;
            }
            if (o < rxt) {
                pipe++;
            }
        }
        return pipe;
    }

    /** NextSeg (1) / (3): the first un-SACKed octet at or above HighRxt (and HighACK), below the highest SACKed octet. */
    private static long naiveNextSeg(boolean[] sacked, boolean[] lost, int ack, int rxt, int mss, boolean lostOnly) {
        int highest = -1;
        for (int o = 0; o < sacked.length; o++) {
            if (sacked[o]) {
                highest = o;
            }
        }
        for (int o = Math.max(ack, rxt); o < highest; o++) {
            if (!sacked[o]) {
                if (lostOnly && !lost[o]) {
                    return -1; // IsLost only falls as the octet rises: no later octet is lost either
                }
                long length = 0;
                while (o + length < sacked.length && !sacked[(int) (o + length)] && length < mss) {
                    length++;
                }
                return (length << 32) | o;
            }
        }
        return -1;
    }
}
