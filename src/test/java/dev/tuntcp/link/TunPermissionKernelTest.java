package dev.tuntcp.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.stack.Counters;
import dev.tuntcp.testing.KernelTest;
import dev.tuntcp.testing.TestNamespace;
import dev.tuntcp.testing.ThreadCapabilities;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * What an unprivileged user meets: the test thread drops CAP_NET_ADMIN (capabilities are per
 * thread) inside a namespace, so root's other powers stay but TUN creation and configuration are
 * refused as they would be for a normal user.
 */
@KernelTest
class TunPermissionKernelTest {
    private static final int CAP_NET_ADMIN = 12;
    private static final String TUN_UP = Path.of("native-setup/tun-up.sh").toAbsolutePath().toString();
    private static final PeerAddress PEER = PeerAddress.parse("10.13.0.1/24");

    @Test
    void theOwnerAttachesToAConfiguredPersistentDeviceWithoutPrivilege(TestNamespace ns) throws Exception {
        ns.execOk(TUN_UP, "ttu", "--user", "root", "--peer", "10.13.0.1/24", "--netns", ns.name());
        Counters counters = new Counters();
        ns.call(() -> {
            ThreadCapabilities.dropEffective(CAP_NET_ADMIN);
            assertFalse(ThreadCapabilities.hasEffective(CAP_NET_ADMIN));
            try (TunDevice tun = TunDevice.open("ttu", counters)) {
                KernelInterface.Result r = tun.configure(PEER, 0);
                assertFalse(r.addressSet(), "nothing to change, so no privilege needed");
                assertFalse(r.broughtUp());

                LinkSetupException e = assertThrows(LinkSetupException.class,
                        () -> tun.configure(PeerAddress.parse("10.14.0.1/24"), 0));
                assertEquals(LinkSetupException.Reason.NO_PERMISSION, e.reason());
                assertEquals("device ttu has address 10.13.0.1/24, not 10.14.0.1/24 and only root may change that"
                        + " — run as root, or configure it once with native-setup/tun-up.sh ttu --peer 10.14.0.1/24",
                        e.getMessage());
            }
            LinkSetupException create = assertThrows(LinkSetupException.class, () -> TunDevice.open("ttnew", counters));
            assertEquals(LinkSetupException.Reason.NO_PERMISSION, create.reason());
            assertEquals("cannot create TUN device ttnew: Operation not permitted — run as root or create a"
                    + " persistent device with native-setup/tun-up.sh", create.getMessage());
            return null;
        });
        // The persistent device outlives our attach.
        assertTrue(ns.execOk("ip", "-4", "-o", "addr", "show", "dev", "ttu").stdout().contains("10.13.0.1/24"));
    }

    @Test
    void aDownDeviceNeedsRootToComeUp(TestNamespace ns) throws Exception {
        ns.execOk(TUN_UP, "ttu", "--user", "root", "--netns", ns.name());
        ns.execOk("ip", "link", "set", "dev", "ttu", "down");
        ns.call(() -> {
            ThreadCapabilities.dropEffective(CAP_NET_ADMIN);
            try (TunDevice tun = TunDevice.open("ttu", new Counters())) {
                LinkSetupException e = assertThrows(LinkSetupException.class, () -> tun.configure(PEER, 0));
                assertEquals(LinkSetupException.Reason.NO_PERMISSION, e.reason());
                assertEquals("device ttu is down and only root may change that — run as root, or configure it once"
                        + " with native-setup/tun-up.sh ttu --peer 10.13.0.1/24", e.getMessage());
            }
            return null;
        });
    }

    @Test
    void anotherUsersDeviceIsRefused(TestNamespace ns) throws Exception {
        ns.execOk(TUN_UP, "ttn", "--user", "nobody", "--netns", ns.name());
        ns.call(() -> {
            ThreadCapabilities.dropEffective(CAP_NET_ADMIN);
            LinkSetupException e = assertThrows(LinkSetupException.class, () -> TunDevice.open("ttn", new Counters()));
            assertEquals(LinkSetupException.Reason.NO_PERMISSION, e.reason());
            assertEquals("device ttn belongs to another user: Operation not permitted — run as root, or recreate it"
                    + " for your user with native-setup/tun-up.sh ttn", e.getMessage());
            return null;
        });
    }
}
