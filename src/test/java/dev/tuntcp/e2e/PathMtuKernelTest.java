package dev.tuntcp.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.testing.KernelTest;
import dev.tuntcp.testing.RequiredTools;
import dev.tuntcp.testing.Rfc9293;
import dev.tuntcp.testing.TestNamespace;
import org.junit.jupiter.api.Test;

/**
 * Path MTU discovery (RFC 1191) against a real router: curl sits behind a kernel router whose link
 * towards curl carries only 1000-octet packets, while both ends have 1500-octet links and so agree on
 * an MSS of 1460. The stack's full-sized segments (DF set) cannot pass; the router's kernel drops
 * them and answers "fragmentation needed, next-hop MTU 1000" (ICMP 3/4). Without acting on it the
 * connection would stall for ever (a PMTU black hole); with it the stack shrinks its MSS, resends
 * the flight at once, and the transfer completes byte-exact with no retransmission timeout.
 */
@KernelTest
class PathMtuKernelTest {
    private static final int NARROW_MTU = 1000;

    @Test
    @Rfc9293("MUST-54")
    void aNarrowerLinkOnThePathIsDiscoveredFromTheRoutersIcmpAndTheGetCompletes(TestNamespace router) throws Exception {
        RequiredTools.require("curl", "curl");
        try (TestNamespace client = TestNamespace.create()) {
            LossKernelTest.route(client, router);
            router.execOk("ip", "link", "set", "ve-r", "mtu", String.valueOf(NARROW_MTU));
            TestNamespace.BackgroundProcess serve = LossKernelTest.serve(router);
            LossKernelTest.getByteExact(client, 8 << 20);
            String out = LossKernelTest.stop(serve);
            assertTrue(LossKernelTest.nstat(router, "IcmpOutDestUnreachs") > 0, "the router sent fragmentation-needed");
            assertTrue(LossKernelTest.counter(out, "TcpStat.PATH_MTU_REDUCTIONS") >= 1, "the stack lowered its MSS: " + out);
            assertEquals(0, LossKernelTest.counter(out, "TcpStat.RETRANSMIT_TIMEOUTS"),
                    "the flight went again on the ICMP message, not on the timer: " + out);
            assertEquals(0, LossKernelTest.counter(out, "TcpDrop.ICMP_OUT_OF_WINDOW"), out);
        }
    }
}
