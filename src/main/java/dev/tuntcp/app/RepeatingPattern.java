package dev.tuntcp.app;

import dev.tuntcp.socket.TcpChannel;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * An endless periodic byte stream ({@code cycle} repeated forever) that can be written into a
 * {@link TcpChannel} from any position without generating or buffering more than one period plus one
 * chunk: the backing bytes are built once and shared (read-only) by every connection, and each
 * connection only keeps a {@link Cursor}. Streaming a gigabyte allocates nothing per write.
 */
final class RepeatingPattern {
    /** Largest single offer to {@link TcpChannel#write}. */
    static final int CHUNK = 64 * 1024;

    /**
     * The 64-byte line behind {@code GET /bytes/N}: byte {@code i} of the body is
     * {@code BYTES_LINE[i % 64]}, so the body equals
     * {@code yes 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ. | head -c N}.
     */
    static final String BYTES_LINE = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.\n";

    /** The stream behind {@code GET /bytes/N}. */
    static final RepeatingPattern BYTES = new RepeatingPattern(BYTES_LINE.getBytes(StandardCharsets.US_ASCII));

    /** The RFC 864 chargen stream (see {@link #chargenCycle()}). */
    static final RepeatingPattern CHARGEN = new RepeatingPattern(chargenCycle());

    private final byte[] cycle;
    /** The cycle repeated to at least {@code period + CHUNK} bytes; never released (unreleasable). */
    private final ByteBuf backing;

    RepeatingPattern(byte[] cycle) {
        this.cycle = cycle.clone();
        int copies = (CHUNK + 2 * cycle.length - 1) / cycle.length;
        byte[] bytes = new byte[copies * cycle.length];
        for (int i = 0; i < copies; i++) {
            System.arraycopy(cycle, 0, bytes, i * cycle.length, cycle.length);
        }
        this.backing = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bytes).asReadOnly());
    }

    int period() {
        return cycle.length;
    }

    /** The byte at {@code position} of the stream (the reference the tests check against). */
    byte byteAt(long position) {
        return cycle[(int) (position % cycle.length)];
    }

    /** A new cursor at {@code position}; one per connection, used on the event-loop thread. */
    Cursor cursor(long position) {
        return new Cursor(position);
    }

    /**
     * RFC 864 ("Data Syntax"): lines of 72 of the 95 printable ASCII characters (space first), each
     * line starting one character further on than the previous one, ended by CR LF; after 95 lines
     * the pattern repeats. As in the RFC's sample the first line starts with '!', the character after
     * space. One period is 95 lines of 74 bytes.
     */
    static byte[] chargenCycle() {
        int lines = 95;
        int lineLength = 72;
        byte[] out = new byte[lines * (lineLength + 2)];
        int p = 0;
        for (int line = 0; line < lines; line++) {
            for (int c = 0; c < lineLength; c++) {
                out[p++] = (byte) (' ' + (line + 1 + c) % 95);
            }
            out[p++] = '\r';
            out[p++] = '\n';
        }
        return out;
    }

    /** A position in the stream and a private view of the shared bytes. */
    final class Cursor {
        private final ByteBuf view = backing.duplicate();
        private long position;

        private Cursor(long position) {
            this.position = position;
        }

        long position() {
            return position;
        }

        /**
         * Writes up to {@code maxBytes} of the stream into {@code channel}, chunk by chunk, stopping
         * early when the channel takes less than offered (its onWritable then follows). Returns how
         * many bytes the channel took.
         */
        long writeTo(TcpChannel channel, long maxBytes) {
            long written = 0;
            while (written < maxBytes) {
                int length = (int) Math.min(CHUNK, maxBytes - written);
                int start = (int) (position % cycle.length);
                view.setIndex(start, start + length);
                int taken = channel.write(view);
                position += taken;
                written += taken;
                if (taken < length) {
                    break;
                }
            }
            return written;
        }
    }
}
