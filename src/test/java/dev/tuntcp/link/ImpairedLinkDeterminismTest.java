package dev.tuntcp.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.stack.EventLoop;
import dev.tuntcp.stack.VirtualClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The TUN path's impairment ({@code serve --impair}, an {@link ImpairedLink} around the device) is
 * seeded and deterministic in both directions: the fate of the n-th packet each way depends only on
 * the seed, the direction and n — not on timing, nor on the traffic the other way.
 */
class ImpairedLinkDeterminismTest {
    private static final int SIZE = 100;
    private static final Impairment SPEC =
            Impairment.parse("loss=0.1,dup=0.05,reorder=0.1,delay=100us,corrupt=0.05,seed=42");

    /** What arrived at one end: time, packet number, bits flipped. */
    record Arrival(long time, int number, int flippedBits) {
    }

    record Both(List<Arrival> outbound, List<Arrival> inbound) {
    }

    /**
     * {@code out} packets from the stack through the impaired link to the "kernel" side of the inner
     * device and {@code in} packets the other way, one each way per microsecond.
     */
    private static Both run(Impairment impairment, int out, int in) {
        VirtualClock clock = new VirtualClock();
        EventLoop loop = EventLoop.manual(clock);
        List<Arrival> atKernel = new ArrayList<>();
        List<Arrival> atStack = new ArrayList<>();
        try (SimLink wire = SimLink.create(loop.timers(), 1500)) {
            ImpairedLink impaired = new ImpairedLink(wire.a(), impairment, loop.timers());
            wire.b().setReceiver(p -> atKernel.add(decode(clock.nanos(), p)));
            impaired.setReceiver(p -> atStack.add(decode(clock.nanos(), p)));
            for (int i = 0; i < Math.max(out, in); i++) {
                if (i < out) {
                    impaired.send(packet(i));
                }
                if (i < in) {
                    wire.b().send(packet(i));
                }
                loop.advanceBy(1_000);
            }
            loop.advanceBy(1_000_000_000L);
            assertEquals(0, impaired.outbound().inFlight());
            assertEquals(0, impaired.inbound().inFlight());
            impaired.close();
        }
        return new Both(atKernel, atStack);
    }

    @Test
    void sameSeedSameFatesInBothDirections() {
        Both first = run(SPEC, 2000, 2000);
        Both again = run(SPEC, 2000, 2000);
        assertEquals(first.outbound(), again.outbound(), "outbound fates repeat");
        assertEquals(first.inbound(), again.inbound(), "inbound fates repeat");
        for (List<Arrival> way : List.of(first.outbound(), first.inbound())) {
            assertTrue(way.size() < 2000 * 1.0 && way.size() > 2000 * 0.8, "about 10% lost, 5% doubled: " + way.size());
            assertTrue(way.stream().anyMatch(a -> a.flippedBits() == 1), "some corrupted");
            assertTrue(way.stream().allMatch(a -> a.flippedBits() <= 1), "never more than one bit");
        }
    }

    @Test
    void theTwoDirectionsDrawSeparateStreams() {
        Both both = run(SPEC, 2000, 2000);
        assertNotEquals(numbers(both.outbound()), numbers(both.inbound()), "the directions differ");
        assertEquals(both.inbound(), run(SPEC, 0, 2000).inbound(), "no outbound traffic: same inbound fates");
        assertEquals(both.outbound(), run(SPEC, 2000, 10).outbound(), "little inbound traffic: same outbound fates");
    }

    @Test
    void anotherSeedAnotherPattern() {
        Both a = run(SPEC, 1000, 1000);
        Both b = run(SPEC.withSeed(43), 1000, 1000);
        assertNotEquals(a.outbound(), b.outbound());
        assertNotEquals(a.inbound(), b.inbound());
    }

    private static List<Integer> numbers(List<Arrival> arrivals) {
        return arrivals.stream().map(Arrival::number).toList();
    }

    private static ByteBuf packet(int number) {
        ByteBuf b = Unpooled.buffer(SIZE);
        for (int i = 0; i < SIZE; i++) {
            b.writeByte(expectedByte(number, i));
        }
        return b;
    }

    private static byte expectedByte(int number, int i) {
        return i < 4 ? (byte) (number >>> (24 - 8 * i)) : (byte) (number * 7 + i);
    }

    /** The packet number is in the first 4 bytes; a flip there is undone by majority over the rest. */
    private static Arrival decode(long now, ByteBuf p) {
        try {
            int number = p.getInt(p.readerIndex());
            int bits = flipped(p, number);
            if (bits > 1) {
                // the flip hit the number itself: find the number one bit away whose body matches
                for (int bit = 0; bit < 32; bit++) {
                    int candidate = number ^ (1 << bit);
                    if (flipped(p, candidate) == 1) {
                        number = candidate;
                        bits = 1;
                        break;
                    }
                }
            }
            return new Arrival(now, number, bits);
        } finally {
            p.release();
        }
    }

    private static int flipped(ByteBuf p, int number) {
        int bits = 0;
        for (int i = 0; i < SIZE; i++) {
            bits += Integer.bitCount((p.getByte(p.readerIndex() + i) ^ expectedByte(number, i)) & 0xff);
        }
        return bits;
    }
}
