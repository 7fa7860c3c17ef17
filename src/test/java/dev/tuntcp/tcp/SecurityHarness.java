package dev.tuntcp.tcp;

import dev.tuntcp.socket.ConnectionHandler;
import dev.tuntcp.socket.TcpChannel;
import dev.tuntcp.stack.Counters;
import dev.tuntcp.stack.TimerQueue;
import dev.tuntcp.stack.VirtualClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@link TcpLayer} in virtual time for the security tests: segments are injected from peers
 * 192.0.2.x and what TCP sends is captured (headers only). The handler given to listeners records
 * opens and echoes nothing; tests read what they need through the channels it collects.
 */
final class SecurityHarness {
    static final int LOCAL = 0xC0A80001;   // 192.168.0.1
    static final int REMOTE = 0xC0000201;  // 192.0.2.1
    static final int PORT = 80;

    final VirtualClock clock = new VirtualClock();
    final TimerQueue timers = new TimerQueue(clock);
    final Counters counters = new Counters();
    final TcpLayer layer;
    final List<Segment> sent = new ArrayList<>();
    final List<TcpChannel> opened = new ArrayList<>();
    final ConnectionHandler handler = new ConnectionHandler() {
        @Override
        public void onOpen(TcpChannel c) {
            opened.add(c);
        }

        @Override
        public void onReadable(TcpChannel c) {
        }

        @Override
        public void onWritable(TcpChannel c) {
        }

        @Override
        public void onClosed(TcpChannel c, CloseReason reason) {
        }
    };

    SecurityHarness(TcpConfig config) {
        this.layer = new TcpLayer(config, timers, counters, s -> {
            Segment copy = new Segment().copyFrom(s);
            copy.data = null; // borrowed; tests look at headers and lengths only
            sent.add(copy);
        });
    }

    Listener listen(int backlog) {
        return layer.listen(LOCAL, PORT, backlog, () -> handler);
    }

    /** Injects a segment from REMOTE:{@code remotePort} to LOCAL:80 with {@code dataLength} zero bytes. */
    void inject(int remotePort, int flags, int seq, int ack, int window, int mss, int dataLength) {
        inject(REMOTE, remotePort, flags, seq, ack, window, mss, dataLength);
    }

    void inject(int remote, int remotePort, int flags, int seq, int ack, int window, int mss, int dataLength) {
        Segment s = new Segment();
        s.sourceAddress = remote;
        s.destinationAddress = LOCAL;
        s.sourcePort = remotePort;
        s.destinationPort = PORT;
        s.flags = flags;
        s.seq = seq;
        s.ack = ack;
        s.window = window;
        s.mss = mss;
        ByteBuf data = Unpooled.buffer(dataLength).writeZero(dataLength);
        s.data = dataLength > 0 ? data : null;
        s.dataLength = dataLength;
        try {
            layer.input(s);
        } finally {
            data.release();
        }
    }

    /** The last segment sent, removing everything captured. */
    Segment takeLast() {
        if (sent.isEmpty()) {
            throw new AssertionError("nothing was sent");
        }
        Segment s = sent.get(sent.size() - 1);
        sent.clear();
        return s;
    }

    long count(Enum<?> counter) {
        return counters.get(counter);
    }

    /** Completes a normal handshake from {@code remotePort} with peer ISN {@code isn}; returns the connection. */
    Connection establish(int remotePort, int isn) {
        inject(remotePort, Segment.SYN, isn, 0, 65535, 1460, 0);
        Segment synAck = takeLast();
        inject(remotePort, Segment.ACK, isn + 1, synAck.seq + 1, 65535, -1, 0);
        sent.clear();
        return layer.find(LOCAL, PORT, REMOTE, remotePort);
    }

    /** Runs every timer due up to {@code nanos} from now. */
    void advance(long nanos) {
        long target = clock.nanos() + nanos;
        while (timers.nextDeadline() - target <= 0) {
            clock.setNanos(Math.max(clock.nanos(), timers.nextDeadline()));
            timers.runExpired();
        }
        clock.setNanos(target);
    }
}
