package dev.tuntcp.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.testing.KernelTest;
import dev.tuntcp.testing.TestNamespace;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** native-setup/*.sh, run only against a namespace the test created. */
@KernelTest
class NativeSetupScriptsKernelTest {
    private static final String DIR = Path.of("native-setup").toAbsolutePath().toString();

    @Test
    void tunUpCheckTunDownRoundTrip(TestNamespace ns) {
        String n = ns.name();
        var up = ns.execOk(DIR + "/tun-up.sh", "tts", "--user", "nobody", "--peer", "10.13.0.1/24", "--mtu", "1400",
                "--netns", n);
        assertTrue(up.stdout().contains("created TUN device tts owned by nobody"), up.stdout());
        String tuntap = ns.execOk("ip", "tuntap", "show").stdout();
        assertTrue(tuntap.contains("tts: tun persist user 65534"), tuntap);
        String addr = ns.execOk("ip", "-4", "-o", "addr", "show", "dev", "tts").stdout();
        assertTrue(addr.contains("inet 10.13.0.1/24"), addr);
        String link = ns.execOk("ip", "-o", "link", "show", "dev", "tts").stdout();
        assertTrue(link.contains("mtu 1400") && link.contains(",UP"), link);

        // Idempotent; a different owner is refused rather than silently changed.
        assertTrue(ns.execOk(DIR + "/tun-up.sh", "tts", "--user", "nobody", "--netns", n).stdout()
                .contains("already exists"));
        var other = ns.exec(DIR + "/tun-up.sh", "tts", "--user", "root", "--netns", n);
        assertEquals(1, other.exitCode());
        assertTrue(other.stderr().contains("not owned by root") && other.stderr().contains("tun-down.sh"), other.stderr());

        var check = ns.exec(DIR + "/check.sh", "--tun", "tts", "--netns", n);
        assertEquals(0, check.exitCode(), check.describe());
        assertTrue(check.stdout().contains("ok:      TUN device tts: tun persist user 65534; address 10.13.0.1/24; up"),
                check.stdout());

        // Run inside the namespace with ip netns exec instead of --netns: same view.
        var inside = ns.exec("bash", DIR + "/check.sh", "--tun", "tts");
        assertEquals(0, inside.exitCode(), inside.describe());

        assertTrue(ns.execOk(DIR + "/tun-down.sh", "tts", "--netns", n).stdout().contains("removed TUN device tts"));
        assertFalse(ns.exec("ip", "link", "show", "tts").ok());
        assertTrue(ns.execOk(DIR + "/tun-down.sh", "tts", "--netns", n).stdout().contains("nothing to do"));
        var lo = ns.exec(DIR + "/tun-down.sh", "lo", "--netns", n);
        assertEquals(1, lo.exitCode());
        assertTrue(lo.stderr().contains("not a TUN device"), lo.stderr());
    }

    @Test
    void checkNamesEachFixForAnUnprivilegedUser(TestNamespace ns) {
        // nobody, without capabilities: no CAP_NET_ADMIN, and /dev/net/tun is root's only on this host
        // unless it is 0666. Either way check.sh must fail and name the fix for what is missing.
        var r = ns.exec("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all",
                "bash", DIR + "/check.sh", "--tun", "ttz");
        assertEquals(1, r.exitCode(), r.describe());
        assertTrue(r.stdout().contains("MISSING: CAP_NET_ADMIN"), r.stdout());
        assertTrue(r.stdout().contains("fix: run as root, or have root create a device for you once:"
                + " sudo native-setup/tun-up.sh ttz --user nobody"), r.stdout());
        assertTrue(r.stdout().contains("note:    no device ttz yet"), r.stdout());
    }

    @Test
    void tunUpRefusesBadInputAndNonRoot(TestNamespace ns) {
        String n = ns.name();
        var badPeer = ns.exec(DIR + "/tun-up.sh", "tts", "--peer", "10.13.0.1", "--netns", n);
        assertEquals(1, badPeer.exitCode());
        assertTrue(badPeer.stderr().contains("expected A.B.C.D/LEN"), badPeer.stderr());
        var noName = ns.exec(DIR + "/tun-up.sh", "--netns", n);
        assertEquals(1, noName.exitCode());
        assertTrue(noName.stderr().contains("give a name"), noName.stderr());
        var noNs = ns.exec(DIR + "/tun-up.sh", "tts", "--netns", n + "-absent");
        assertEquals(1, noNs.exitCode());
        assertTrue(noNs.stderr().contains("ip netns add"), noNs.stderr());
        var nonRoot = ns.exec("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                DIR + "/tun-up.sh", "tts");
        assertEquals(1, nonRoot.exitCode());
        assertTrue(nonRoot.stderr().contains("this needs root — run: sudo"), nonRoot.stderr());
        assertFalse(ns.exec("ip", "link", "show", "tts").ok());
    }
}
