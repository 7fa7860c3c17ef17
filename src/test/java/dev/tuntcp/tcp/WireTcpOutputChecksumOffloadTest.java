package dev.tuntcp.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.tuntcp.wire.InternetChecksum;
import dev.tuntcp.wire.TcpSegmentation;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A data segment marked for an offloading link ({@link Segment#segmentSize} set, even when it holds
 * one MSS or less) goes to {@link PacketSink#sendSegmented} with only the pseudo-header sum in its
 * checksum field — the link (the kernel behind a TUN with TUN_F_CSUM) completes it; an unmarked
 * segment goes to {@link PacketSink#send} with its checksum complete. Completing the partial one gives
 * exactly the checksum the stack would have computed.
 */
class WireTcpOutputChecksumOffloadTest {
    private static final int HEADERS = 20 + 20;

    private record Sent(ByteBuf packet, int segmentSize) {
    }

    private static final class RecordingSink implements PacketSink {
        final List<Sent> sent = new ArrayList<>();

        @Override
        public void send(ByteBuf packet) {
            sent.add(new Sent(packet.copy(), 0));
            packet.release();
        }

        @Override
        public void sendSegmented(ByteBuf packet, int segmentSize) {
            sent.add(new Sent(packet.copy(), segmentSize));
            packet.release();
        }
    }

    private static Segment segment(byte[] payload, int segmentSize) {
        Segment s = new Segment();
        s.sourceAddress = 0x0A0D0002;
        s.destinationAddress = 0x0A0D0001;
        s.sourcePort = 5201;
        s.destinationPort = 40000;
        s.seq = 123456;
        s.ack = 654321;
        s.flags = Segment.ACK | Segment.PSH;
        s.window = 4000;
        ByteBuf data = Unpooled.wrappedBuffer(payload);
        s.data = data;
        s.dataIndex = 0;
        s.dataLength = payload.length;
        s.segmentSize = segmentSize;
        return s;
    }

    private static int tcpChecksum(ByteBuf packet) {
        return packet.getUnsignedShort(20 + 16);
    }

    @Test
    void aMarkedSegmentOfOneMssLeavesTheChecksumToTheLinkAndCompletesToTheSoftwareOne() {
        byte[] payload = new byte[1000];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 31 + 7);
        }
        RecordingSink sink = new RecordingSink();
        WireTcpOutput out = new WireTcpOutput(TestAllocator.POOLED, sink);
        out.send(segment(payload, 1448)); // marked: one segment, shorter than the MSS
        out.send(segment(payload, 0)); // unmarked: the stack computes the checksum
        out.close();

        Sent offloaded = sink.sent.get(0);
        Sent complete = sink.sent.get(1);
        assertEquals(1448, offloaded.segmentSize(), "went to sendSegmented with the MSS");
        assertEquals(0, complete.segmentSize(), "went to send");
        int pseudo = InternetChecksum.pseudoHeaderSum(0x0A0D0002, 0x0A0D0001, 6, 20 + payload.length);
        assertEquals(pseudo, tcpChecksum(offloaded.packet()), "only the pseudo-header sum is left");
        assertNotEquals(tcpChecksum(complete.packet()), tcpChecksum(offloaded.packet()));

        TcpSegmentation.completeChecksum(offloaded.packet(), 20, 16);
        assertEquals(tcpChecksum(complete.packet()), tcpChecksum(offloaded.packet()),
                "the link's completion gives the checksum the stack computes");
        assertEquals(HEADERS + payload.length, offloaded.packet().readableBytes());
        offloaded.packet().release();
        complete.packet().release();
    }

    @Test
    void aPureAckIsNeverLeftToTheLink() {
        RecordingSink sink = new RecordingSink();
        WireTcpOutput out = new WireTcpOutput(TestAllocator.POOLED, sink);
        out.send(segment(new byte[0], 1448));
        out.close();
        assertEquals(0, sink.sent.get(0).segmentSize(), "a segment without data goes to send, complete");
        sink.sent.get(0).packet().release();
    }
}
