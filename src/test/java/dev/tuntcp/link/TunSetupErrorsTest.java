package dev.tuntcp.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.stack.Counters;
import dev.tuntcp.testing.ThreadCapabilities;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Setup errors that need no network namespace: each becomes one line naming the fix. */
class TunSetupErrorsTest {

    @Test
    void aMissingControlDeviceNamesTheModule() {
        LinkSetupException e = assertThrows(LinkSetupException.class,
                () -> TunDevice.open(TunOptions.named("tt0").withDevicePath("/nonexistent/net/tun"), new Counters()));
        assertEquals(LinkSetupException.Reason.NO_TUN_SUPPORT, e.reason());
        assertEquals(Libc.ENOENT, e.errno());
        assertEquals("cannot open /nonexistent/net/tun: No such file or directory — load the tun module (modprobe tun)"
                + " or create the node (mkdir -p /dev/net && mknod /dev/net/tun c 10 200); native-setup/check.sh says"
                + " what is missing", e.getMessage());
    }

    @Test
    void anUnreadableControlDeviceNamesRootOrAPersistentDevice(@TempDir Path dir) throws Exception {
        Path node = dir.resolve("tun");
        Files.createFile(node);
        Files.setPosixFilePermissions(node, PosixFilePermissions.fromString("---------"));
        // As root, drop the capabilities that bypass file permissions, on a thread of our own.
        CompletableFuture<LinkSetupException> failure = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                ThreadCapabilities.dropEffective(1); // CAP_DAC_OVERRIDE
                ThreadCapabilities.dropEffective(2); // CAP_DAC_READ_SEARCH
                TunDevice.open(TunOptions.named("tt0").withDevicePath(node.toString()), new Counters()).close();
                failure.completeExceptionally(new AssertionError("open succeeded"));
            } catch (LinkSetupException e) {
                failure.complete(e);
            } catch (Throwable e) {
                failure.completeExceptionally(e);
            }
        });
        t.start();
        LinkSetupException e = failure.get(10, TimeUnit.SECONDS);
        assertEquals(LinkSetupException.Reason.NO_PERMISSION, e.reason());
        assertEquals("cannot open " + node + ": Permission denied — run as root or create a persistent device with"
                + " native-setup/tun-up.sh (and give your user read/write access to " + node + ")", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a-name-that-is-too-long", "has space", "a/b", "a:b", ".", ".."})
    void badNamesAreRefusedBeforeTouchingTheKernel(String name) {
        LinkSetupException e = assertThrows(LinkSetupException.class,
                () -> TunDevice.open(TunOptions.named(name).withDevicePath("/nonexistent"), new Counters()));
        assertEquals(LinkSetupException.Reason.BAD_NAME, e.reason());
        assertTrue(e.getMessage().endsWith("— use 1 to 15 printable characters without '/', ':' or spaces, e.g. tt0"),
                e.getMessage());
    }
}
