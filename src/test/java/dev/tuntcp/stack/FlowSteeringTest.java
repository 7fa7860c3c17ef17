package dev.tuntcp.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.wire.Ipv4Address;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The 4-tuple steering of {@code serve --queues N}: stable, symmetric, in range, spread over every loop. */
class FlowSteeringTest {
    private static final int KERNEL = Ipv4Address.parse("10.13.0.1");
    private static final int STACK = Ipv4Address.parse("10.13.0.2");

    @Property
    void theOwnerIsTheSameFromEitherEndOfTheConnection(@ForAll int a, @ForAll int portA, @ForAll int b,
                                                       @ForAll int portB, @ForAll @IntRange(min = 1, max = 64) int loops) {
        FlowSteering s = new FlowSteering(loops, 7, 11);
        int owner = s.owner(a, portA, b, portB);
        assertEquals(owner, s.owner(b, portB, a, portA), "a segment and its answer must reach the same loop");
        assertTrue(owner >= 0 && owner < loops, "owner " + owner + " of " + loops);
    }

    @Property
    void onlyTheLowSixteenBitsOfAPortCount(@ForAll int a, @ForAll int portA, @ForAll int b, @ForAll int portB) {
        FlowSteering s = new FlowSteering(4, 3, 5);
        assertEquals(s.owner(a, portA & 0xffff, b, portB & 0xffff), s.owner(a, portA, b, portB));
    }

    @Test
    void theSameKeyGivesTheSameOwnerEveryTime() {
        FlowSteering one = new FlowSteering(4, 0x0123456789abcdefL, 0x7edcba9876543210L);
        FlowSteering two = new FlowSteering(4, 0x0123456789abcdefL, 0x7edcba9876543210L);
        for (int port = 32768; port < 33768; port++) {
            int owner = one.owner(KERNEL, port, STACK, 5201);
            assertEquals(owner, one.owner(KERNEL, port, STACK, 5201), "stable for one instance");
            assertEquals(owner, two.owner(KERNEL, port, STACK, 5201), "stable across instances with one key");
        }
    }

    @Test
    void anotherKeyStealsFlowsToOtherLoops() {
        FlowSteering one = new FlowSteering(2, 1, 2);
        FlowSteering other = new FlowSteering(2, 3, 4);
        int moved = 0;
        for (int port = 40000; port < 41000; port++) {
            if (one.owner(KERNEL, port, STACK, 80) != other.owner(KERNEL, port, STACK, 80)) {
                moved++;
            }
        }
        // Independent keys: each flow moves with probability 1/2.
        assertTrue(moved > 400 && moved < 600, "flows whose owner differs between two keys: " + moved + " of 1000");
    }

    @Test
    void everyLoopGetsItsShareOfTheFlowsOfOnePeer() {
        // What iperf3 -P N or a busy client looks like: one peer address, one server port, ephemeral
        // source ports in a row. Each loop's share must be near 1/n, whatever the key.
        for (int loops = 2; loops <= 8; loops++) {
            for (long key = 1; key <= 5; key++) {
                FlowSteering s = key == 5 ? new FlowSteering(loops) : new FlowSteering(loops, key * 0x9e3779b97f4a7c15L, ~key);
                int[] perLoop = new int[loops];
                int flows = 4000;
                for (int port = 32768; port < 32768 + flows; port++) {
                    perLoop[s.owner(KERNEL, port, STACK, 5201)]++;
                }
                int expected = flows / loops;
                for (int count : perLoop) {
                    // A binomial with n=4000, p=1/8 has sd ~21: ±35% of the mean is beyond 5 sd at n=8.
                    assertTrue(Math.abs(count - expected) < expected * 0.35,
                            loops + " loops, key " + key + ": " + Arrays.toString(perLoop));
                }
            }
        }
    }

    @Test
    void fourFlowsOnTwoLoopsUsuallyUseBoth() {
        // iperf3 -P 4 on --queues 2: with a random key all four flows share a loop with probability 1/8;
        // over 200 keys about 25 do. Far from every key, far from none.
        int oneLoopOnly = 0;
        for (long key = 0; key < 200; key++) {
            FlowSteering s = new FlowSteering(2, key, key * 31 + 7);
            int mask = 0;
            for (int port = 50000; port < 50004; port++) {
                mask |= 1 << s.owner(KERNEL, port, STACK, 5201);
            }
            if (mask != 3) {
                oneLoopOnly++;
            }
        }
        assertTrue(oneLoopOnly > 5 && oneLoopOnly < 60, "keys that put all four flows on one loop: " + oneLoopOnly);
    }

    @Test
    void oneLoopOwnsEverything() {
        FlowSteering s = new FlowSteering(1);
        assertEquals(0, s.owner(KERNEL, 1234, STACK, 80));
        assertEquals(0, s.owner(STACK, 80, KERNEL, 1234));
    }

    @Test
    void noLoopsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new FlowSteering(0));
    }

    @Test
    void theHashDependsOnEveryField() {
        FlowSteering s = new FlowSteering(2, 9, 10);
        long base = s.hash(KERNEL, 40000, STACK, 80);
        assertNotEquals(base, s.hash(KERNEL + 1, 40000, STACK, 80));
        assertNotEquals(base, s.hash(KERNEL, 40001, STACK, 80));
        assertNotEquals(base, s.hash(KERNEL, 40000, STACK + 1, 80));
        assertNotEquals(base, s.hash(KERNEL, 40000, STACK, 81));
    }
}
