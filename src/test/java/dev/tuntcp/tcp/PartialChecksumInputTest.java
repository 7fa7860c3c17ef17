package dev.tuntcp.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tuntcp.stack.Counters;
import dev.tuntcp.stack.TimerQueue;
import dev.tuntcp.stack.VirtualClock;
import dev.tuntcp.wire.Ipv4Header;
import dev.tuntcp.wire.SegmentBuilder;
import dev.tuntcp.wire.TcpOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A segment whose checksum field holds only the pseudo-header sum (the kernel's partial checksum
 * under TUN_F_CSUM) is a bad checksum to an ordinary input, and accepted when the link vouched for it.
 */
class PartialChecksumInputTest {
    private static final int LOCAL = 0x0A000002;
    private static final int REMOTE = 0x0A000001;

    private final Counters counters = new Counters();
    private final List<Segment> sent = new ArrayList<>();
    private final TcpLayer layer = new TcpLayer(TestAllocator.config(), new TimerQueue(new VirtualClock()), counters,
            seg -> sent.add(new Segment().copyFrom(seg)));
    private final TcpInput input = new TcpInput(layer);

    private static ByteBuf partialSyn() {
        SegmentBuilder b = new SegmentBuilder().addresses(REMOTE, LOCAL).ports(40000, 80).seq(1000)
                .flags(Segment.SYN).window(65535).options(new TcpOptions().mss(1460)).noPayload().partialChecksum(true);
        ByteBuf out = Unpooled.buffer(b.length());
        b.write(out);
        return out;
    }

    private void receive(ByteBuf p, boolean trusted) {
        try {
            input.receive(REMOTE, LOCAL, p, Ipv4Header.MIN_LENGTH, p.readableBytes() - Ipv4Header.MIN_LENGTH, trusted);
        } finally {
            p.release();
        }
    }

    @Test
    void untrustedPartialChecksumIsABadChecksum() {
        layer.listen(LOCAL, 80, () -> null);
        receive(partialSyn(), false);
        assertEquals(1, counters.get(TcpDrop.BAD_CHECKSUM));
        assertEquals(0, sent.size());
    }

    @Test
    void trustedPartialChecksumIsAccepted() {
        layer.listen(LOCAL, 80, () -> null);
        receive(partialSyn(), true);
        assertEquals(0, counters.get(TcpDrop.BAD_CHECKSUM));
        assertEquals(1, sent.size(), "the SYN was answered");
        assertEquals(Segment.SYN | Segment.ACK, sent.get(0).flags);
    }
}
