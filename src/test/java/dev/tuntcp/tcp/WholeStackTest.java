package dev.tuntcp.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.ip.Ipv4Config;
import dev.tuntcp.link.Impairment;
import dev.tuntcp.link.SimLink;
import dev.tuntcp.socket.ConnectionHandler.CloseReason;
import dev.tuntcp.socket.SocketOptions;
import dev.tuntcp.socket.SocketStack;
import dev.tuntcp.socket.TcpServerSocket;
import dev.tuntcp.socket.TcpSocket;
import dev.tuntcp.stack.Clock;
import dev.tuntcp.stack.Counters;
import dev.tuntcp.stack.EventLoop;
import dev.tuntcp.stack.ParkingWaiter;
import dev.tuntcp.stack.Stack;
import dev.tuntcp.stack.TcpStack;
import dev.tuntcp.stack.TcpTraceBridge;
import dev.tuntcp.stack.VirtualClock;
import dev.tuntcp.trace.CollectingSink;
import dev.tuntcp.trace.ConnectionTrace;
import dev.tuntcp.trace.Direction;
import dev.tuntcp.trace.LadderOptions;
import dev.tuntcp.trace.LadderText;
import dev.tuntcp.trace.SegmentEvent;
import dev.tuntcp.trace.StateChange;
import dev.tuntcp.trace.TraceEvent;
import dev.tuntcp.trace.TraceState;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * TCP in two whole stacks ({@link TcpStack}: IPv4 input and output, event loop) joined by a SimLink:
 * transfer, the trace bridge, the socket API over the real state machine, graceful close.
 */
class WholeStackTest {
    private static final int A = 0x0A000001;
    private static final int B = 0x0A000002;
    private static final long MB = 1 << 20;

    private record Hosts(EventLoop loop, SimLink link, Stack a, Stack b, TcpStack tcpA, TcpStack tcpB) {
    }

    private static Hosts hosts(EventLoop loop, UnpooledByteBufAllocator alloc) {
        SimLink link = SimLink.create(loop.timers(), 1500, new Impairment(0, 0, 0, TimeUnit.MILLISECONDS.toNanos(1), 0, 1));
        Stack a = new Stack(loop, link.a(), new Ipv4Config(A, 24), new Counters(), alloc, 1L);
        Stack b = new Stack(loop, link.b(), new Ipv4Config(B, 24), new Counters(), alloc, 2L);
        return new Hosts(loop, link, a, b, new TcpStack(a, TestAllocator.config()), new TcpStack(b, TestAllocator.config()));
    }

    @Test
    void transferThroughTheWholeStackAndStopGracefully() {
        EventLoop loop = EventLoop.manual(new VirtualClock());
        UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false, true);
        Hosts h = hosts(loop, alloc);
        CollectingSink trace = new CollectingSink();
        h.tcpA().tcp().setTraceListener(new TcpTraceBridge(trace, loop.clock().nanos()));
        StreamPeer server = new StreamPeer("server", MB, StreamPeer.Start.ON_OPEN, true, 1);
        StreamPeer client = new StreamPeer("client", MB, StreamPeer.Start.ON_OPEN, true, 2);
        h.tcpB().tcp().listen(B, 80, () -> server);
        h.tcpA().connect(B, 80, client);
        assertTrue(loop.advanceUntil(() -> client.closed != null && server.closed != null, TimeUnit.MINUTES.toNanos(5)));
        assertArrayEquals(client.sentHash(), server.receivedHash());
        assertArrayEquals(server.sentHash(), client.receivedHash());
        assertEquals(CloseReason.CLOSED, client.closed);

        // The trace: SYN out in SYN-SENT, SYN/ACK in, ESTABLISHED, ACK out; and a ladder renders it.
        List<TraceEvent> events = trace.snapshot();
        SegmentEvent syn = (SegmentEvent) events.stream().filter(e -> e instanceof SegmentEvent).findFirst().orElseThrow();
        assertEquals(Direction.OUT, syn.direction());
        assertTrue(syn.isSyn());
        assertEquals(TraceState.SYN_SENT, syn.stateBefore());
        assertTrue(events.stream().anyMatch(e -> e instanceof StateChange sc && sc.to() == TraceState.TIME_WAIT));
        String ladder = LadderText.render(ConnectionTrace.single(events), LadderOptions.defaults());
        assertTrue(ladder.contains("ESTABLISHED") && ladder.contains("TIME-WAIT"), ladder);

        h.a().close();
        h.b().close();
        assertEquals(0, alloc.metric().usedHeapMemory() + alloc.metric().usedDirectMemory(), "packet memory leaked");
    }

    @Test
    void closeAllGracefullyEndsOpenConnectionsWithFin() {
        EventLoop loop = EventLoop.manual(new VirtualClock());
        UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false, true);
        Hosts h = hosts(loop, alloc);
        StreamPeer server = new StreamPeer("server", 0, StreamPeer.Start.NEVER, false, 1);
        StreamPeer client = new StreamPeer("client", 0, StreamPeer.Start.AFTER_PEER_FIN, true, 2);
        h.tcpB().tcp().listen(B, 80, () -> server);
        h.tcpA().connect(B, 80, client);
        assertTrue(loop.advanceUntil(() -> server.opened, TimeUnit.SECONDS.toNanos(5)));
        h.tcpB().closeAllGracefully();
        assertTrue(loop.advanceUntil(() -> h.tcpB().closeAllGracefully() && client.closed != null,
                TimeUnit.SECONDS.toNanos(5)));
        assertEquals(CloseReason.CLOSED, server.closed);
        assertEquals(CloseReason.CLOSED, client.closed);
        h.a().close();
        h.b().close();
        assertEquals(0, alloc.metric().usedHeapMemory() + alloc.metric().usedDirectMemory(), "packet memory leaked");
    }

    @Test
    void socketStackBindsFreePortsAndRefusesTakenOnes() throws Exception {
        EventLoop loop = EventLoop.manual(new VirtualClock());
        Hosts h = hosts(loop, new UnpooledByteBufAllocator(false, true));
        SocketStack s = h.tcpB();
        SocketStack.Listening l = s.listen(0, () -> null);
        assertTrue(l.port() > 0);
        s.listen(80, () -> null);
        assertThrows(BindException.class, () -> s.listen(80, () -> null));
        l.close();
        assertEquals(null, h.tcpB().tcp().listener(l.port()));
        h.a().close();
        h.b().close();
    }

    @Test
    void blockingSocketsOverTheRealStack() throws Exception {
        EventLoop loop = new EventLoop(Clock.system(), new ParkingWaiter());
        Hosts h = hosts(loop, new UnpooledByteBufAllocator(false, true));
        loop.start("tcp-transport-test");
        try {
            TcpServerSocket server = TcpServerSocket.bind(h.tcpB(), 7, SocketOptions.DEFAULT);
            byte[] payload = new byte[300_000];
            new Random(5).nextBytes(payload);
            AtomicReference<Throwable> serverError = new AtomicReference<>();
            Thread echo = new Thread(() -> {
                try (TcpSocket c = server.accept()) {
                    InputStream in = c.getInputStream();
                    OutputStream out = c.getOutputStream();
                    byte[] buf = new byte[8192];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        out.write(buf, 0, n);
                    }
                    out.flush();
                    c.shutdownOutput();
                } catch (Throwable t) {
                    serverError.set(t);
                }
            });
            echo.start();
            ByteArrayOutputStream back = new ByteArrayOutputStream();
            try (TcpSocket c = TcpSocket.connect(h.tcpA(), B, 7, SocketOptions.DEFAULT.withSoTimeoutMillis(20_000))) {
                Thread writer = new Thread(() -> {
                    try {
                        c.getOutputStream().write(payload);
                        c.shutdownOutput();
                    } catch (Exception e) {
                        serverError.compareAndSet(null, e);
                    }
                });
                writer.start();
                c.getInputStream().transferTo(back);
                writer.join(20_000);
            }
            echo.join(20_000);
            assertEquals(null, serverError.get());
            assertArrayEquals(payload, back.toByteArray());
            server.close();
        } finally {
            loop.stop(TimeUnit.SECONDS.toNanos(1));
            assertTrue(loop.awaitTermination(10, TimeUnit.SECONDS));
            h.a().close();
            h.b().close();
        }
    }
}
