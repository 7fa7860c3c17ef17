package dev.tuntcp.ip;

import dev.tuntcp.link.LinkDevice;
import dev.tuntcp.stack.Clock;
import dev.tuntcp.wire.IcmpEcho;
import dev.tuntcp.wire.Ipv4Address;
import dev.tuntcp.wire.Ipv4Header;
import dev.tuntcp.wire.ParseError;
import dev.tuntcp.wire.TcpFormat;
import dev.tuntcp.wire.TcpHeader;
import io.netty.buffer.ByteBuf;
import java.io.PrintStream;

/**
 * A {@link LinkDevice} decorator for {@code serve --trace}: prints one line per packet in ({@code ←})
 * and out ({@code →}), seconds since start first, e.g.
 * {@code 0.000412 ← 10.13.0.1 > 10.13.0.2 ICMP echo request id 4660 seq 1 length 64}. TCP segments
 * use {@link TcpFormat}, unless TCP is traced elsewhere (then they are left out: {@code serve --trace}
 * prints each segment once, from the TCP layer, with the state change it caused). Packets pass
 * through unchanged (ownership as for the inner device); only used when tracing is asked for, so it
 * may allocate.
 */
public final class PacketTrace implements LinkDevice {
    private final LinkDevice inner;
    private final Clock clock;
    private final PrintStream out;
    private final long start;
    private final boolean includeTcp;
    private final Ipv4Header ip = new Ipv4Header();
    private final TcpHeader tcp = new TcpHeader();
    private final IcmpEcho icmp = new IcmpEcho();

    public PacketTrace(LinkDevice inner, Clock clock, PrintStream out) {
        this(inner, clock, out, true);
    }

    /** @param includeTcp false to leave out whole TCP segments (traced by the TCP layer instead) */
    public PacketTrace(LinkDevice inner, Clock clock, PrintStream out, boolean includeTcp) {
        this.includeTcp = includeTcp;
        this.inner = inner;
        this.clock = clock;
        this.out = out;
        this.start = clock.nanos();
    }

    @Override
    public int mtu() {
        return inner.mtu();
    }

    @Override
    public void setReceiver(PacketReceiver receiver) {
        inner.setReceiver(receiver == null ? null : packet -> {
            print('←', packet);
            receiver.onPacket(packet);
        });
    }

    @Override
    public void send(ByteBuf packet) {
        print('→', packet);
        inner.send(packet);
    }

    @Override
    public int poll() {
        return inner.poll();
    }

    @Override
    public void close() {
        inner.close();
    }

    private void print(char direction, ByteBuf packet) {
        if (!includeTcp && isWholeTcpSegment(packet)) {
            return;
        }
        long micros = (clock.nanos() - start) / 1000;
        StringBuilder sb = new StringBuilder(128);
        sb.append(micros / 1_000_000).append('.').append(String.format("%06d", micros % 1_000_000)).append(' ')
                .append(direction).append(' ');
        describe(sb, packet);
        out.println(sb);
    }

    private boolean isWholeTcpSegment(ByteBuf packet) {
        return !ip.wrap(packet, packet.readerIndex(), packet.readableBytes()).isError()
                && ip.protocol() == Ipv4Header.PROTOCOL_TCP && !ip.isFragment();
    }

    /** Appends a description of {@code packet} (not consumed). */
    void describe(StringBuilder sb, ByteBuf packet) {
        ParseError error = ip.wrap(packet, packet.readerIndex(), packet.readableBytes());
        if (error.isError()) {
            sb.append("not a valid IPv4 packet (").append(error).append("), ").append(packet.readableBytes()).append(" bytes");
            return;
        }
        if (ip.protocol() == Ipv4Header.PROTOCOL_TCP && !ip.isFragment() && tcp.wrap(ip) == ParseError.NONE) {
            TcpFormat.append(sb, ip, tcp);
            return;
        }
        Ipv4Address.append(sb, ip.sourceAddress()).append(" > ");
        Ipv4Address.append(sb, ip.destinationAddress()).append(' ');
        if (ip.isFragment()) {
            sb.append("fragment id ").append(ip.identification()).append(" offset ").append(ip.fragmentOffset())
                    .append(ip.moreFragments() ? " MF" : "").append(" proto ").append(ip.protocol())
                    .append(" length ").append(ip.payloadLength());
        } else if (ip.protocol() == Ipv4Header.PROTOCOL_ICMP && icmp.wrap(ip) == ParseError.NONE) {
            if (icmp.isEchoRequest() || icmp.isEchoReply()) {
                sb.append("ICMP echo ").append(icmp.isEchoRequest() ? "request" : "reply").append(" id ")
                        .append(icmp.identifier()).append(" seq ").append(icmp.sequence());
            } else {
                sb.append("ICMP type ").append(icmp.type()).append(" code ").append(icmp.code());
            }
            sb.append(" length ").append(icmp.length());
        } else {
            sb.append("proto ").append(ip.protocol()).append(" length ").append(ip.payloadLength());
        }
        sb.append(" ttl ").append(ip.ttl()).append(" id ").append(ip.identification());
    }
}
