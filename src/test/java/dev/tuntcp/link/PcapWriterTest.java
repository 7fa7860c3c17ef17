package dev.tuntcp.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tuntcp.stack.Counters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapWriterTest {
    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;
    private static final int A = PeerAddress.parseIpv4("10.13.0.1");
    private static final int B = PeerAddress.parseIpv4("10.13.0.2");

    @Test
    void tsharkReadsEchoPairsWithGoodChecksumsAndNanosecondStamps(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("echo.pcap");
        long t0 = 1_700_000_000_123_456_789L;
        try (PcapWriter w = PcapWriter.create(file)) {
            for (int seq = 1; seq <= 3; seq++) {
                ByteBuf request = EchoPackets.echoRequest(ALLOC, A, B, 0x77, seq, 56 + seq); // odd and even sizes
                ByteBuf reply = EchoPackets.replyTo(request, ALLOC);
                int readerBefore = request.readerIndex();
                w.write(request, t0 + seq * 1_000_000_000L);
                w.write(reply, t0 + seq * 1_000_000_000L + 7);
                assertEquals(readerBefore, request.readerIndex(), "write must not consume");
                assertEquals(1, request.refCnt(), "write must not release");
                request.release();
                reply.release();
            }
            assertEquals(6, w.records());
        }
        List<String[]> rows = Tshark.fields(file, "frame.time_epoch", "ip.src", "ip.dst", "icmp.type", "icmp.seq",
                "ip.checksum.status", "icmp.checksum.status", "frame.len");
        assertEquals(6, rows.size());
        for (int i = 0; i < 6; i++) {
            String[] r = rows.get(i);
            int seq = i / 2 + 1;
            boolean isRequest = i % 2 == 0;
            long stamp = t0 + seq * 1_000_000_000L + (isRequest ? 0 : 7);
            assertEquals(String.format("%d.%09d", stamp / 1_000_000_000L, stamp % 1_000_000_000L), r[0]);
            assertEquals(isRequest ? "10.13.0.1" : "10.13.0.2", r[1]);
            assertEquals(isRequest ? "10.13.0.2" : "10.13.0.1", r[2]);
            assertEquals(isRequest ? "8" : "0", r[3]);
            assertEquals(String.valueOf(seq), r[4]);
            assertEquals("1", r[5], "ip.checksum.status good");
            assertEquals("1", r[6], "icmp.checksum.status good");
            assertEquals(String.valueOf(28 + 56 + seq), r[7]);
        }
    }

    @Test
    void headerAndRecordsFollowTheFormat(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("raw.pcap");
        ByteBuf heap = Unpooled.wrappedBuffer(new byte[] {0x45, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        heap.readerIndex(2);
        try (PcapWriter w = PcapWriter.create(file, PcapWriter.LINKTYPE_IPV4, 4)) {
            w.write(heap, -1); // one nanosecond before the epoch
        }
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(24 + 16 + 4, b.remaining());
        assertEquals(0xa1b23c4d, b.getInt());
        assertEquals(2, b.getShort());
        assertEquals(4, b.getShort());
        assertEquals(0, b.getInt());
        assertEquals(0, b.getInt());
        assertEquals(4, b.getInt(), "snaplen");
        assertEquals(228, b.getInt(), "LINKTYPE_IPV4");
        assertEquals(-1, b.getInt(), "seconds");
        assertEquals(999_999_999, b.getInt(), "nanoseconds");
        assertEquals(4, b.getInt(), "captured length cut to snaplen");
        assertEquals(8, b.getInt(), "original length");
        byte[] data = new byte[4];
        b.get(data);
        assertArrayEquals(new byte[] {2, 3, 4, 5}, data);
        heap.release();
    }

    @Test
    void manyRecordsSpanSeveralFlushes(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("big.pcap");
        ByteBuf big = ALLOC.directBuffer(65535).writeZero(65535);
        big.setByte(0, 0x45);
        try (PcapWriter w = PcapWriter.create(file)) {
            for (int i = 0; i < 5; i++) {
                w.write(big, i);
            }
        } finally {
            big.release();
        }
        assertEquals(24 + 5 * (16 + 65535), Files.size(file));
    }

    @Test
    void theTapRecordsBothDirectionsAndPassesOwnershipOn(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("tap.pcap");
        List<ByteBuf> sent = new ArrayList<>();
        LinkDevice loopback = new LinkDevice() {
            PacketReceiver receiver;

            @Override
            public int mtu() {
                return 1500;
            }

            @Override
            public void setReceiver(PacketReceiver r) {
                receiver = r;
            }

            @Override
            public void send(ByteBuf packet) {
                sent.add(packet);
            }

            @Override
            public int poll() {
                receiver.onPacket(EchoPackets.echoRequest(ALLOC, A, B, 1, 9, 10));
                return 1;
            }

            @Override
            public void close() {
            }
        };
        Counters counters = new Counters();
        AtomicLong clock = new AtomicLong(5_000_000_000L);
        List<ByteBuf> received = new ArrayList<>();
        try (PcapTap tap = new PcapTap(loopback, PcapWriter.create(file), clock::incrementAndGet, counters)) {
            tap.setReceiver(received::add);
            assertEquals(1, tap.poll());
            ByteBuf reply = EchoPackets.replyTo(received.get(0), ALLOC);
            tap.send(reply);
            assertEquals(1500, tap.mtu());
        }
        assertEquals(1, received.get(0).refCnt(), "the receiver owns the packet");
        assertEquals(1, sent.get(0).refCnt(), "the inner device owns the sent packet");
        received.forEach(ByteBuf::release);
        sent.forEach(ByteBuf::release);
        List<String[]> rows = Tshark.fields(file, "icmp.type", "ip.checksum.status", "frame.time_epoch");
        assertEquals(2, rows.size());
        assertEquals("8", rows.get(0)[0]);
        assertEquals("0", rows.get(1)[0]);
        assertEquals("5.000000001", rows.get(0)[2]);
        assertEquals("5.000000002", rows.get(1)[2]);
        assertEquals(0, counters.get(LinkCounter.PCAP_ERRORS));
    }

    @Test
    void aFailingFileStopsRecordingButNotTraffic() throws IOException {
        int[] writes = new int[1];
        java.nio.channels.WritableByteChannel failing = new java.nio.channels.WritableByteChannel() {
            @Override
            public int write(ByteBuffer src) throws IOException {
                if (writes[0]++ > 0) {
                    throw new IOException("disk full");
                }
                int n = src.remaining();
                src.position(src.limit());
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };
        List<ByteBuf> sent = new ArrayList<>();
        LinkDevice sink = new LinkDevice() {
            @Override
            public int mtu() {
                return 1500;
            }

            @Override
            public void setReceiver(PacketReceiver r) {
            }

            @Override
            public void send(ByteBuf packet) {
                sent.add(packet);
            }

            @Override
            public void close() {
            }
        };
        Counters counters = new Counters();
        PcapTap tap = new PcapTap(sink, new PcapWriter(failing, PcapWriter.LINKTYPE_RAW, 65535), () -> 0, counters);
        tap.send(EchoPackets.echoRequest(ALLOC, A, B, 1, 1, 8));
        tap.flush(); // the file fails here
        tap.send(EchoPackets.echoRequest(ALLOC, A, B, 1, 2, 8));
        tap.close();
        assertEquals(2, sent.size(), "traffic continues");
        assertEquals(1, counters.get(LinkCounter.PCAP_ERRORS), "counted once, then recording stops");
        assertEquals("disk full", tap.failure().getMessage());
        sent.forEach(ByteBuf::release);
    }

    @Test
    void aClosedWriterRefusesRecords(@TempDir Path dir) throws IOException {
        PcapWriter w = PcapWriter.create(dir.resolve("closed.pcap"));
        w.close();
        w.close();
        ByteBuf p = Unpooled.buffer(1).writeByte(0x45);
        assertThrows(IOException.class, () -> w.write(p, 0));
        p.release();
    }
}
