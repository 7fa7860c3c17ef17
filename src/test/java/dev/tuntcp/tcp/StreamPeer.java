package dev.tuntcp.tcp;

import dev.tuntcp.socket.ConnectionHandler;
import dev.tuntcp.socket.TcpChannel;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A test application on one end of a connection: it streams {@code toSend} pseudo-random bytes
 * (from {@code onOpen}, or only after the peer's FIN), reads everything, hashes both directions
 * with SHA-256, and optionally half-closes once its data is written.
 */
final class StreamPeer implements ConnectionHandler {
    enum Start { ON_OPEN, AFTER_PEER_FIN, NEVER }

    final String name;
    private final long toSend;
    private final Start start;
    private final boolean shutdownWhenDone;
    private final Random content;
    private final MessageDigest sentDigest = sha256();
    private final MessageDigest receivedDigest = sha256();
    private final ByteBuf chunk = Unpooled.buffer(8192);
    long sent;
    long received;
    boolean opened;
    boolean sawEof;
    boolean shutdownCalled;
    CloseReason closed;
    TcpChannel channel;
    final List<String> log = new ArrayList<>();
    /** Throws from onReadable when set, to test isolation of a failing application. */
    boolean explodeOnRead;
    /** While set the application reads nothing (a stalled reader: the receive window closes). */
    private boolean paused;

    StreamPeer(String name, long toSend, Start start, boolean shutdownWhenDone, long seed) {
        this.name = name;
        this.toSend = toSend;
        this.start = start;
        this.shutdownWhenDone = shutdownWhenDone;
        this.content = new Random(seed);
    }

    @Override
    public void onOpen(TcpChannel ch) {
        this.channel = ch;
        opened = true;
        log.add("open");
        if (start == Start.ON_OPEN) {
            pump();
        }
    }

    @Override
    public void onReadable(TcpChannel ch) {
        if (explodeOnRead) {
            throw new IllegalStateException("application bug");
        }
        if (paused) {
            return;
        }
        while (true) {
            ByteBuf b = ch.read(16384);
            if (b == null) {
                break;
            }
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            b.release();
            receivedDigest.update(bytes);
            received += bytes.length;
        }
        if (ch.isInputShutdown() && !sawEof) {
            sawEof = true;
            log.add("eof");
            if (start == Start.AFTER_PEER_FIN) {
                pump();
            }
        }
    }

    @Override
    public void onWritable(TcpChannel ch) {
        pump();
    }

    @Override
    public void onClosed(TcpChannel ch, CloseReason reason) {
        closed = reason;
        log.add("closed " + reason);
    }

    /** Writes until the send buffer is full or everything is sent, then maybe half-closes. */
    void pump() {
        while (sent < toSend) {
            if (chunk.readableBytes() == 0) {
                chunk.clear();
                int n = (int) Math.min(chunk.capacity(), toSend - sent - 0);
                byte[] bytes = new byte[n];
                content.nextBytes(bytes);
                chunk.writeBytes(bytes);
            }
            int before = chunk.readerIndex();
            int taken = channel.write(chunk);
            if (taken <= 0) {
                return;
            }
            byte[] written = new byte[taken];
            chunk.getBytes(before, written);
            sentDigest.update(written);
            sent += taken;
            if (chunk.readableBytes() > 0) {
                return; // buffer full: onWritable resumes
            }
        }
        if (shutdownWhenDone && !shutdownCalled) {
            shutdownCalled = true;
            log.add("shutdown");
            channel.shutdownOutput();
        }
    }

    /** Stops reading until {@link #resumeReading}. */
    void pauseReading() {
        paused = true;
    }

    /** Reads again, starting with what piled up meanwhile. Call on the loop (or in virtual time). */
    void resumeReading() {
        paused = false;
        if (channel != null) {
            onReadable(channel);
        }
    }

    boolean allSent() {
        return sent == toSend;
    }

    byte[] sentHash() {
        return clone(sentDigest);
    }

    byte[] receivedHash() {
        return clone(receivedDigest);
    }

    private static byte[] clone(MessageDigest d) {
        try {
            return ((MessageDigest) d.clone()).digest();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
