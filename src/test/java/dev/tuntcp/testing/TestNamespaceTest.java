package dev.tuntcp.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.link.Netns;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The harness itself: namespaces are made, used, and always removed with what ran in them. */
@KernelTest
class TestNamespaceTest {
    private static final Set<String> USED = ConcurrentHashMap.newKeySet();

    @AfterAll
    static void everyNamespaceIsGone() {
        List<String> listed = Netns.list();
        assertFalse(USED.isEmpty());
        for (String name : USED) {
            assertFalse(listed.contains(name), name + " still listed by ip netns list: " + listed);
            assertFalse(Netns.exists(name), name);
        }
    }

    @Test
    void aFreshNamespaceHasLoopbackUp(TestNamespace ns) {
        USED.add(ns.name());
        assertTrue(ns.name().startsWith("tt-test-"), ns.name());
        assertTrue(Netns.list().contains(ns.name()));
        String lo = ns.execOk("ip", "-o", "link", "show", "lo").stdout();
        assertTrue(lo.contains("UP"), lo);
        // Nothing but loopback: it is not the host namespace.
        assertEquals(1, ns.execOk("ip", "-o", "link", "show").stdout().strip().split("\n").length);
    }

    @Test
    void commandsAreCapturedAndTimedOut(TestNamespace ns) {
        USED.add(ns.name());
        Netns.ExecResult r = ns.exec("sh", "-c", "echo out; echo err >&2; exit 3");
        assertEquals(3, r.exitCode());
        assertEquals("out\n", r.stdout());
        assertEquals("err\n", r.stderr());
        AssertionError failed = assertThrows(AssertionError.class, () -> ns.execOk("false"));
        assertTrue(failed.getMessage().contains("exit 1"), failed.getMessage());
        long start = System.nanoTime();
        Netns.ExecResult slow = ns.exec(Duration.ofMillis(300), "sleep", "30");
        assertTrue(slow.timedOut());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
    }

    @Test
    void callRunsOnAThreadInsideAndKernelSocketsStayThere(TestNamespace ns) throws Exception {
        USED.add(ns.name());
        assertFalse(Netns.currentThreadIn(ns.name()));
        assertTrue(ns.call(() -> Netns.currentThreadIn(ns.name())));
        // A Java socket made inside the namespace belongs to it and can be used from this thread.
        try (ServerSocket server = ns.call(() -> new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))) {
            TestNamespace.BackgroundProcess client = ns.start("sh", "-c",
                    "echo hello-from-ns > /dev/tcp/127.0.0.1/" + server.getLocalPort() + " 2>/dev/null"
                            + " || printf hello-from-ns | nc -q1 127.0.0.1 " + server.getLocalPort());
            server.setSoTimeout(10_000);
            try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                assertTrue(new String(in.readAllBytes(), StandardCharsets.US_ASCII).startsWith("hello-from-ns"));
            }
            client.waitFor(Duration.ofSeconds(10));
        }
        // The same port on the host's loopback is someone else's (or nobody's): we never touched it.
    }

    @Test
    void enterAndLeaveOnADedicatedThread(TestNamespace ns) throws Exception {
        USED.add(ns.name());
        Boolean[] seen = new Boolean[2];
        Thread t = new Thread(() -> {
            Netns.Entered entered = Netns.enter(ns.name());
            seen[0] = Netns.currentThreadIn(ns.name());
            entered.close();
            seen[1] = Netns.currentThreadIn(ns.name());
        });
        t.start();
        t.join(10_000);
        assertEquals(Boolean.TRUE, seen[0]);
        assertEquals(Boolean.FALSE, seen[1]);
    }

    @Test
    void closeStopsOurProcessesAndThreadsAndDeletesTheNamespace() throws Exception {
        TestNamespace ns = TestNamespace.create();
        USED.add(ns.name());
        TestNamespace.BackgroundProcess sleeper = ns.start("sleep", "60");
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread loop = ns.startThread("fake-loop", () -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                stopped.countDown();
            }
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        long pid = sleeper.pid();
        ns.close();
        assertTrue(stopped.await(1, TimeUnit.SECONDS));
        assertFalse(loop.isAlive());
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        assertTrue(h.isEmpty() || !h.get().isAlive(), "sleep " + pid + " survived");
        assertFalse(Netns.exists(ns.name()));
        assertThrows(IllegalStateException.class, () -> ns.exec("true"));
        ns.close(); // idempotent
    }

    @Test
    void aFailingTestStillLosesItsNamespace() throws Exception {
        String[] name = new String[1];
        assertThrows(AssertionError.class, () -> {
            try (TestNamespace ns = TestNamespace.create()) {
                name[0] = ns.name();
                USED.add(ns.name());
                ns.execOk("false");
            }
        });
        assertFalse(Netns.exists(name[0]));
    }
}
