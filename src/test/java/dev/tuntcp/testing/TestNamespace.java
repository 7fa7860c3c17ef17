package dev.tuntcp.testing;

import dev.tuntcp.link.Netns;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A network namespace created for one test ({@code tt-test-XXXXXXXX}, with {@code lo} up) and
 * deleted by {@link #close()}: commands run inside it, background processes and threads started
 * through it are stopped (by PID, only ours) before the namespace is deleted. Obtain one as a test
 * parameter through {@link KernelTest}, or with {@link #create()} in try-with-resources.
 *
 * <p>Code that opens a TUN device or a kernel socket must run on a thread inside the namespace:
 * {@link #call} (a fresh thread per call) or {@link #startThread} (a long-lived one, e.g. an event
 * loop). The objects created there can then be used from the test thread.
 */
public final class TestNamespace implements AutoCloseable {
    public static final String PREFIX = "tt-test-";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Namespaces not yet deleted, for the shutdown hook (an aborted test run). */
    private static final Set<String> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(name -> {
            try {
                Netns.delete(name);
            } catch (RuntimeException ignored) {
                // best effort while the JVM exits
            }
        }), "tt-test-netns-cleanup"));
    }

    private final String name;
    private final List<BackgroundProcess> processes = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private TestNamespace(String name) {
        this.name = name;
    }

    /** Creates a uniquely named namespace with its loopback up. */
    public static TestNamespace create() {
        return create(PREFIX);
    }

    /** Like {@link #create()} with another name prefix (e.g. {@code tt-sec-}), to tell whose it is. */
    public static TestNamespace create(String prefix) {
        for (int attempt = 0; ; attempt++) {
            String name = prefix + String.format("%08x", RANDOM.nextInt());
            if (Netns.exists(name)) {
                continue;
            }
            try {
                LIVE.add(name);
                Netns.add(name);
            } catch (RuntimeException e) {
                LIVE.remove(name);
                if (attempt < 3 && !Netns.exists(name)) {
                    continue;
                }
                throw e;
            }
            TestNamespace ns = new TestNamespace(name);
            try {
                ns.execOk("ip", "link", "set", "lo", "up");
            } catch (Throwable e) {
                ns.close();
                throw e;
            }
            return ns;
        }
    }

    public String name() {
        return name;
    }

    /** Runs a command inside the namespace and waits for it (20 s at most). */
    public Netns.ExecResult exec(String... command) {
        return exec(DEFAULT_TIMEOUT, command);
    }

    public Netns.ExecResult exec(Duration timeout, String... command) {
        checkOpen();
        return Netns.exec(name, timeout, command);
    }

    /** Like {@link #exec} but fails the test (with the output) unless the command exits 0. */
    public Netns.ExecResult execOk(String... command) {
        Netns.ExecResult r = exec(command);
        if (!r.ok()) {
            throw new AssertionError("in namespace " + name + ": " + r.describe());
        }
        return r;
    }

    /**
     * Starts a command inside the namespace without waiting (e.g. ping or tcpdump); it is killed by
     * PID at {@link #close()} unless it finished.
     */
    /**
     * Starts a capture ({@code tcpdump …} in this namespace, possibly under {@code timeout}) and
     * returns once it reports "listening on", so no packet sent afterwards is missed; fails when it
     * dies or has not started within 20 s.
     */
    public BackgroundProcess startCapture(String... command) throws InterruptedException {
        BackgroundProcess capture = start(command);
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        while (!capture.stderr().contains("listening on")) {
            if (!capture.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("tcpdump did not start: " + capture.stderr());
            }
            Thread.sleep(50); // polling another process's output; there is nothing to wait on
        }
        return capture;
    }

    public BackgroundProcess start(String... command) {
        checkOpen();
        try {
            Path out = Files.createTempFile("tt-test-bg", ".out");
            Path err = Files.createTempFile("tt-test-bg", ".err");
            Process p = new ProcessBuilder(Netns.prefixed(name, command))
                    .redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            BackgroundProcess bg = new BackgroundProcess(List.of(command), p, out, err);
            processes.add(bg);
            return bg;
        } catch (IOException e) {
            throw new AssertionError("cannot start " + String.join(" ", command) + " in " + name + ": " + e, e);
        }
    }

    /**
     * Runs {@code task} on a new thread that has entered the namespace and returns its result (its
     * exception is rethrown). Open TUN devices and kernel sockets here.
     */
    public <T> T call(Callable<T> task) throws Exception {
        return call(DEFAULT_TIMEOUT, task);
    }

    public <T> T call(Duration timeout, Callable<T> task) throws Exception {
        checkOpen();
        return Netns.call(name, timeout, task);
    }

    /**
     * Starts a daemon thread inside the namespace (e.g. an event loop). At {@link #close()} it is
     * interrupted and joined; make {@code body} end on interrupt or on its own stop signal.
     */
    public Thread startThread(String threadName, Runnable body) {
        checkOpen();
        Thread t = Netns.threadFactory(name).newThread(body);
        t.setName(threadName);
        threads.add(t);
        t.start();
        return t;
    }

    /**
     * Stops our threads and processes, then deletes the namespace and checks it is gone. Idempotent;
     * throws (after cleaning up everything it can) if something could not be cleaned.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<String> problems = new ArrayList<>();
        for (Thread t : threads) {
            t.interrupt();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                problems.add("thread " + t.getName() + " did not stop within 5 s");
            }
        }
        for (BackgroundProcess p : processes) {
            p.kill();
        }
        try {
            Netns.delete(name);
        } catch (RuntimeException e) {
            problems.add(e.getMessage());
        }
        if (Netns.exists(name)) {
            problems.add("namespace " + name + " still exists after ip netns del");
        } else {
            LIVE.remove(name);
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("cleaning up " + name + ": " + String.join("; ", problems));
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("namespace " + name + " is already deleted");
        }
    }

    /** A command running inside the namespace; its output goes to temporary files. */
    public static final class BackgroundProcess {
        private final List<String> command;
        private final Process process;
        private final Path out;
        private final Path err;

        BackgroundProcess(List<String> command, Process process, Path out, Path err) {
            this.command = command;
            this.process = process;
            this.out = out;
            this.err = err;
        }

        public long pid() {
            return process.pid();
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        /** Waits for the command to end; returns its result, or one marked timed out (and kills it). */
        public Netns.ExecResult waitFor(Duration timeout) throws InterruptedException {
            boolean done = process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            if (!done) {
                Netns.kill(process);
            }
            return new Netns.ExecResult(command, done ? process.exitValue() : -1, stdout(), stderr(), !done);
        }

        public String stdout() {
            return read(out);
        }

        public String stderr() {
            return read(err);
        }

        /** Stops it (SIGTERM, then SIGKILL), with anything it started, and removes its output files. */
        public void kill() {
            if (process.isAlive()) {
                Netns.kill(process);
            }
            try {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            } catch (IOException ignored) {
                // temp files
            }
        }

        private static String read(Path p) {
            try {
                return Files.readString(p, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }
    }
}
