package dev.tuntcp.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tuntcp.link.Impairment;
import dev.tuntcp.link.SimLink;
import dev.tuntcp.socket.ConnectionHandler;
import dev.tuntcp.stack.Counters;
import dev.tuntcp.stack.TimerQueue;
import dev.tuntcp.stack.VirtualClock;
import dev.tuntcp.wire.Ipv4Header;
import dev.tuntcp.wire.ParseError;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.function.BooleanSupplier;

/**
 * Two TCPs over {@link SimLink} in virtual time, with real wire encoding: {@link WireTcpOutput}
 * builds IPv4 + TCP packets with checksums, the link delivers (with seeded impairment) and
 * {@link TcpInput} parses and verifies them. A minimal IPv4 receive step stands in for Ipv4Input.
 * Packet buffers come from a pooled direct allocator, so the leak detector watches every one.
 */
final class WirePair implements AutoCloseable {
    static final int ADDRESS_A = 0x0A000001;
    static final int ADDRESS_B = 0x0A000002;

    final VirtualClock clock = new VirtualClock();
    final TimerQueue timers = new TimerQueue(clock);
    final Counters countersA = new Counters();
    final Counters countersB = new Counters();
    final SimLink link;
    final TcpLayer a;
    final TcpLayer b;
    final TcpInput inputA;
    final TcpInput inputB;
    private final WireTcpOutput outputA;
    private final WireTcpOutput outputB;

    /** Pooled packet buffers, watched by Netty's leak detector (PARANOID in the suite). */
    WirePair(TcpConfig config, Impairment impairment) {
        this(config, impairment, TestAllocator.POOLED);
    }

    /**
     * Packet buffers from {@code alloc}. Bulk tests pass an unpooled allocator with the leak detector
     * off (PARANOID records a stack trace on every buffer access) and check its memory metric instead:
     * every byte allocated must be back when the test ends, which is an exact leak check.
     */
    WirePair(TcpConfig config, Impairment impairment, ByteBufAllocator alloc) {
        link = SimLink.create(timers, 1500, impairment);
        outputA = new WireTcpOutput(alloc, link.a()::send);
        outputB = new WireTcpOutput(alloc, link.b()::send);
        a = new TcpLayer(config, timers, countersA, outputA);
        b = new TcpLayer(config, timers, countersB, outputB);
        inputA = new TcpInput(a);
        inputB = new TcpInput(b);
        link.a().setReceiver(p -> deliver(inputA, countersA, p));
        link.b().setReceiver(p -> deliver(inputB, countersB, p));
    }

    private final Ipv4Header ip = new Ipv4Header();

    private void deliver(TcpInput input, Counters counters, ByteBuf packet) {
        try {
            ParseError e = ip.wrap(packet, packet.readerIndex(), packet.readableBytes());
            if (e != ParseError.NONE) {
                counters.increment(e);
                return;
            }
            if (ip.protocol() == Ipv4Header.PROTOCOL_TCP && !ip.isFragment()) {
                input.receive(ip.sourceAddress(), ip.destinationAddress(), packet, ip.payloadOffset(), ip.payloadLength());
            }
        } finally {
            packet.release();
        }
    }

    /**
     * {@code client} on A opens to {@code server} listening on B's {@code port}; runs until both have
     * closed (failing after {@code limitNanos} of virtual time) and checks that each direction arrived
     * byte-exact (count and SHA-256) and that both closed cleanly.
     */
    void exchangeByteExact(StreamPeer client, StreamPeer server, int port, long limitNanos) {
        b.listen(ADDRESS_B, port, () -> server);
        a.connect(ADDRESS_A, ADDRESS_B, port, client);
        runUntil(() -> client.closed != null && server.closed != null, limitNanos);
        assertEquals(client.sent, server.received);
        assertEquals(server.sent, client.received);
        assertArrayEquals(client.sentHash(), server.receivedHash(), "client → server SHA-256");
        assertArrayEquals(server.sentHash(), client.receivedHash(), "server → client SHA-256");
        assertEquals(ConnectionHandler.CloseReason.CLOSED, client.closed);
        assertEquals(ConnectionHandler.CloseReason.CLOSED, server.closed);
    }

    void runUntil(BooleanSupplier done, long limitNanos) {
        long deadline = clock.nanos() + limitNanos;
        while (!done.getAsBoolean()) {
            long next = timers.nextDeadline();
            if (next == Long.MAX_VALUE) {
                fail("stalled: nothing scheduled and not done; A " + a.connections() + " B " + b.connections());
            }
            if (next - deadline > 0) {
                fail("not done after " + limitNanos / 1e9 + " virtual seconds");
            }
            if (next > clock.nanos()) {
                clock.setNanos(next);
            }
            timers.runExpired();
        }
    }

    void runFor(long nanos) {
        long target = clock.nanos() + nanos;
        while (timers.nextDeadline() - target <= 0) {
            long next = timers.nextDeadline();
            if (next > clock.nanos()) {
                clock.setNanos(next);
            }
            timers.runExpired();
        }
        clock.setNanos(target);
    }

    @Override
    public void close() {
        link.close();
        outputA.close(); // packet buffers kept for reuse (only when leak detection is off)
        outputB.close();
    }
}
