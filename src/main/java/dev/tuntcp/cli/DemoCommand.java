package dev.tuntcp.cli;

import dev.tuntcp.wire.Ipv4Address;
import dev.tuntcp.wire.Ipv4Header;
import dev.tuntcp.wire.ParseError;
import dev.tuntcp.wire.TcpFlags;
import dev.tuntcp.wire.TcpFormat;
import dev.tuntcp.wire.TcpHeader;
import dev.tuntcp.wire.TcpOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code tuntcp demo}: the self-contained tour. Until the TCP core lands it shows what the demo will
 * do and decodes a real SYN the Linux kernel sent (captured by
 * {@code src/test/resources/fixtures/capture.sh}, fixture {@code 01-syn}) through the wire layer,
 * verifying both checksums.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Self-contained tour: handshake, transfer and teardown with the kernel in a private namespace.")
final class DemoCommand implements Callable<Integer> {
    /** 20 B IPv4 + 40 B TCP: mss 1460, sackOK, timestamps, nop, wscale 10; 10.13.0.1:44916 > 10.13.0.2:8080. */
    static final String LINUX_SYN = "4500003c9d8a4000400689150a0d00010a0d0002af741f9011e33c02"
            + "00000000a002faf03e6b0000020405b40402080a3036ad64000000000103030a";

    @Override
    public Integer call() {
        PrintStream out = System.out;
        out.println("tuntcp demo — coming with the TCP core: a private network namespace, the stack on a TUN");
        out.println("device inside it, curl and nc as kernel clients, and the annotated ladder of the");
        out.println("three-way handshake, a transfer and the four-way teardown.");
        out.println();
        out.println("Meanwhile, the wire layer decodes a SYN the Linux kernel sent:");
        ByteBuf packet = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(LINUX_SYN));
        try {
            return decode(packet, out) ? 0 : 1;
        } finally {
            packet.release();
        }
    }

    /** Prints every field of an IPv4+TCP packet; false (with the reason printed) if it does not parse. */
    static boolean decode(ByteBuf packet, PrintStream out) {
        Ipv4Header ip = new Ipv4Header();
        ParseError ipResult = ip.wrap(packet, packet.readerIndex(), packet.readableBytes());
        if (ipResult != ParseError.NONE) {
            out.println("  IPv4: " + ipResult);
            return false;
        }
        out.printf("  IPv4  %s > %s  ttl %d  id 0x%04x  %s  total %d  header %d  checksum 0x%04x verified%n",
                Ipv4Address.toString(ip.sourceAddress()), Ipv4Address.toString(ip.destinationAddress()),
                ip.ttl(), ip.identification(), ip.dontFragment() ? "DF" : "-", ip.totalLength(),
                ip.headerLength(), ip.headerChecksum());
        TcpHeader tcp = new TcpHeader();
        ParseError tcpResult = tcp.wrap(ip);
        if (tcpResult == ParseError.NONE) {
            tcpResult = tcp.verifyChecksum(ip.sourceAddress(), ip.destinationAddress());
        }
        if (tcpResult != ParseError.NONE) {
            out.println("  TCP: " + tcpResult);
            return false;
        }
        out.printf("  TCP   port %d > %d  seq %s  flags [%s] (%s)  win %d  header %d  checksum 0x%04x verified%n",
                tcp.sourcePort(), tcp.destinationPort(), Integer.toUnsignedString(tcp.seq()),
                TcpFlags.toString(tcp.flags()), tcp.control(), tcp.window(), tcp.headerLength(), tcp.checksum());
        TcpOptions options = new TcpOptions();
        ParseError optionResult = tcp.readOptions(options);
        if (optionResult != ParseError.NONE) {
            out.println("  options: " + optionResult);
            return false;
        }
        out.printf("  opts  mss %d  window scale %d  SACK permitted %b  TSval %s TSecr %s%n",
                options.mss(), options.windowScale(), options.sackPermitted(),
                Integer.toUnsignedString(options.tsVal()), Integer.toUnsignedString(options.tsEcr()));
        out.println("  trace " + TcpFormat.format(ip, tcp));
        return true;
    }
}
