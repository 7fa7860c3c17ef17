package dev.tuntcp.ip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.link.Netns;
import dev.tuntcp.testing.KernelTest;
import dev.tuntcp.testing.RequiredTools;
import dev.tuntcp.testing.TestNamespace;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Malformed IPv4 built with scapy and written into the TUN from the namespace through a packet
 * socket (so the kernel's IP layer cannot fix it): each is counted under its own reason, and the
 * stack keeps answering ping.
 */
@KernelTest
class MalformedInputKernelTest {
    private static final String PYTHON = RequiredTools.PYTHON;

    /** Sends every case once; AF_PACKET/SOCK_DGRAM on a TUN hands the bytes to the device as they are. */
    private static final String SCRIPT = String.join("\n",
            "import socket",
            "from scapy.all import IP, ICMP, IPv6, ICMPv6ND_RS, Raw",
            "src, dst = '10.13.0.1', '10.13.0.2'",
            "s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM)",
            "def send(b, proto=0x0800):",
            "    s.sendto(bytes(b), ('tt0', proto))",
            "good = bytearray(bytes(IP(src=src, dst=dst)/ICMP(id=1, seq=1)/Raw(b'x' * 32)))",
            "bad = bytearray(good); bad[10] ^= 0xff",
            "send(bad)                                                                 # BAD_CHECKSUM",
            "send(IP(src=src, dst=dst, ihl=3)/ICMP())                                   # IHL_TOO_SMALL",
            "send(IP(src=src, dst=dst, len=200)/ICMP())                                 # TOTAL_LENGTH_BEYOND_PACKET",
            "msg = bytes(ICMP(id=2, seq=2)/Raw(b'y' * 3000))",
            "send(IP(src=src, dst=dst, id=777, proto=1, flags='MF', frag=0)/Raw(msg[0:1480]))",
            "send(IP(src=src, dst=dst, id=777, proto=1, flags='MF', frag=100)/Raw(msg[800:2280]))  # OVERLAP",
            "send(IP(src=src, dst=dst, id=777, proto=1, flags='MF', frag=185)/Raw(msg[1480:2960]))  # AFTER_DISCARD",
            "send(IP(src=src, dst=dst, id=777, proto=1, frag=370)/Raw(msg[2960:]))   # AFTER_DISCARD",
            "send(IPv6(src='fe80::1', dst='ff02::2')/ICMPv6ND_RS(), 0x86DD)           # NOT_IPV4",
            "");

    @Test
    void eachMalformedPacketIsCountedUnderItsOwnReasonAndPingGoesOn(TestNamespace ns) throws Exception {
        RequiredTools.requireScapy();
        // No IPv6 on the new device, so the only non-IPv4 frame is the one we inject.
        ns.execOk("sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1");
        ns.execOk("sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1");
        try (KernelStack s = new KernelStack(ns, null)) {
            Netns.ExecResult sent = ns.exec(Duration.ofSeconds(60), PYTHON, "-c", SCRIPT);
            assertTrue(sent.ok(), sent.describe());
            // The TUN queue is FIFO: once a later ping is answered, every injected packet was handled.
            Netns.ExecResult ping = ns.exec(Duration.ofSeconds(20), "ping", "-n", "-c", "3", "-i", "0.2", "-W", "5",
                    KernelStack.STACK_ADDRESS);
            assertTrue(ping.ok() && ping.stdout().contains(" 0% packet loss"), ping.describe());
            assertEquals(1, s.counter(Ipv4Drop.BAD_CHECKSUM), s.counters().toString());
            assertEquals(1, s.counter(Ipv4Drop.IHL_TOO_SMALL), s.counters().toString());
            assertEquals(1, s.counter(Ipv4Drop.TOTAL_LENGTH_BEYOND_PACKET), s.counters().toString());
            assertEquals(1, s.counter(ReassemblyDrop.OVERLAP), s.counters().toString());
            assertEquals(2, s.counter(ReassemblyDrop.AFTER_DISCARD), s.counters().toString());
            assertEquals(1, s.counter(Ipv4Drop.NOT_IPV4), s.counters().toString());
            assertEquals(3, s.counter(Ipv4Stat.ECHO_REQUESTS), "only the pings were answered");
            assertEquals(0, s.counter(Ipv4Stat.REASSEMBLED));
        }
    }
}
