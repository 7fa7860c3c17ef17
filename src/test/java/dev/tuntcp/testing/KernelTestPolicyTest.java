package dev.tuntcp.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.testing.KernelTestPolicy.Decision;
import dev.tuntcp.testing.KernelTestPolicy.Probe;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KernelTestPolicyTest {
    private static final Probe ALL = new Probe(true, true, true, true);
    private static final Probe NO_NET_ADMIN = new Probe(false, true, true, true);

    @Test
    void runsWhenEverythingIsThere() {
        assertEquals(Decision.RUN, KernelTestPolicy.decide(Map.of(), ALL).decision());
        assertEquals(Decision.RUN, KernelTestPolicy.decide(Map.of("CI", "true"), ALL).decision());
    }

    @Test
    void skipsLoudlyWithoutCapability() {
        KernelTestPolicy.Verdict v = KernelTestPolicy.decide(Map.of(), NO_NET_ADMIN);
        assertEquals(Decision.SKIP, v.decision());
        assertTrue(v.reason().startsWith("SKIPPED"), v.reason());
        assertTrue(v.reason().contains("CAP_NET_ADMIN"), v.reason());
        assertTrue(v.reason().contains("TUNTCP_REQUIRE_TUN=1"), v.reason());
    }

    @Test
    void failsInsteadOfSkippingUnderCiOrWhenRequired() {
        assertEquals(Decision.FAIL, KernelTestPolicy.decide(Map.of("CI", "true"), NO_NET_ADMIN).decision());
        assertEquals(Decision.FAIL, KernelTestPolicy.decide(Map.of("CI", "TRUE"), NO_NET_ADMIN).decision());
        assertEquals(Decision.FAIL, KernelTestPolicy.decide(Map.of("TUNTCP_REQUIRE_TUN", "1"), NO_NET_ADMIN).decision());
        assertEquals(Decision.SKIP, KernelTestPolicy.decide(Map.of("CI", "false"), NO_NET_ADMIN).decision());
        assertEquals(Decision.SKIP, KernelTestPolicy.decide(Map.of("TUNTCP_REQUIRE_TUN", "0"), NO_NET_ADMIN).decision());
    }

    @Test
    void namesEachMissingPieceWithItsFix() {
        String reason = KernelTestPolicy.decide(Map.of(), new Probe(true, false, false, false)).reason();
        assertTrue(reason.contains("CAP_SYS_ADMIN"), reason);
        assertTrue(reason.contains("apt-get install iproute2"), reason);
        assertTrue(reason.contains("modprobe tun"), reason);
        assertFalse(reason.contains("CAP_NET_ADMIN"), reason);
    }

    @Test
    void readsEffectiveCapabilitiesFromProcStatus() {
        String status = "Name:\tjava\nCapInh:\t0000000000000000\nCapPrm:\t000001ffffffffff\n"
                + "CapEff:\t0000000000001000\nCapBnd:\t000001ffffffffff\n";
        long eff = KernelTestPolicy.effectiveCapabilities(status);
        assertTrue(KernelTestPolicy.hasCapability(eff, KernelTestPolicy.CAP_NET_ADMIN));
        assertFalse(KernelTestPolicy.hasCapability(eff, KernelTestPolicy.CAP_SYS_ADMIN));
        assertEquals(0, KernelTestPolicy.effectiveCapabilities("Name:\tjava\n"));
        long root = KernelTestPolicy.effectiveCapabilities("CapEff:\t000001fffeffffff\n");
        assertTrue(KernelTestPolicy.hasCapability(root, KernelTestPolicy.CAP_NET_ADMIN));
        assertTrue(KernelTestPolicy.hasCapability(root, KernelTestPolicy.CAP_SYS_ADMIN));
    }
}
