package dev.tuntcp.link;

import static dev.tuntcp.link.LinkSetupException.Reason.NAMESPACE;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named network namespaces (ip-netns(8)): managing them through iproute2 (for tests, demos and
 * setup; the TUN path itself never needs it) and moving the calling thread into one with setns(2).
 *
 * <h2>Threads and namespaces</h2>
 * setns(2) with CLONE_NEWNET moves only the calling OS thread (a Java platform thread is one). What
 * that thread creates afterwards — a TUN device ({@link TunDevice#open}), a kernel socket
 * ({@code new Socket(...).connect}, {@code ServerSocket.bind}) — belongs to the namespace for its
 * whole life and may then be used from any thread. So:
 * <ul>
 *   <li>the stack: open the {@link TunDevice} on a thread that has entered the namespace (e.g. from
 *       {@link #threadFactory}, or {@link #call}); its event loop may then run anywhere;</li>
 *   <li>a Java-socket peer: create and connect/bind the socket inside {@link #call} (or on a thread
 *       from {@link #threadFactory}); reading and writing it afterwards works from any thread.</li>
 * </ul>
 * Never enter a namespace on a pooled or shared thread (it would stay there for its next job) nor on
 * a virtual thread (it may run on any carrier); use a dedicated thread that dies afterwards, or
 * {@link #enter} with try-with-resources, which returns the thread to where it was.
 */
public final class Netns {
    /** Where iproute2 pins named namespaces. */
    public static final Path RUN_DIR = Path.of("/var/run/netns");
    private static final AtomicInteger THREADS = new AtomicInteger();

    private Netns() {
    }

    /** The output of a finished (or timed out and killed) command. */
    public record ExecResult(List<String> command, int exitCode, String stdout, String stderr, boolean timedOut) {
        public boolean ok() {
            return exitCode == 0 && !timedOut;
        }

        /** One paragraph for assertion messages. */
        public String describe() {
            return String.join(" ", command) + " -> " + (timedOut ? "timed out" : "exit " + exitCode)
                    + (stdout.isBlank() ? "" : "\nstdout: " + stdout.strip())
                    + (stderr.isBlank() ? "" : "\nstderr: " + stderr.strip());
        }
    }

    /** {@code ip netns add NAME}. */
    public static void add(String name) {
        ExecResult r = run(Duration.ofSeconds(10), "ip", "netns", "add", name);
        if (!r.ok()) {
            throw new LinkSetupException(NAMESPACE, 0, "cannot create network namespace " + name + ": "
                    + r.stderr().strip() + " — run as root (CAP_SYS_ADMIN and CAP_NET_ADMIN) with iproute2 installed");
        }
    }

    /** {@code ip netns del NAME}; quietly does nothing when it does not exist. */
    public static void delete(String name) {
        if (!exists(name)) {
            return;
        }
        ExecResult r = run(Duration.ofSeconds(10), "ip", "netns", "del", name);
        if (!r.ok() && exists(name)) {
            throw new LinkSetupException(NAMESPACE, 0, "cannot delete network namespace " + name + ": "
                    + r.stderr().strip() + " — delete it by hand with: ip netns del " + name);
        }
    }

    public static boolean exists(String name) {
        return Files.exists(RUN_DIR.resolve(name));
    }

    /** The names {@code ip netns list} shows. */
    public static List<String> list() {
        ExecResult r = run(Duration.ofSeconds(10), "ip", "netns", "list");
        List<String> names = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            if (!line.isBlank()) {
                names.add(line.strip().split("\\s+")[0]);
            }
        }
        return names;
    }

    /** Runs {@code command} inside namespace {@code name} ({@code ip netns exec}), capturing its output. */
    public static ExecResult exec(String name, Duration timeout, String... command) {
        return run(timeout, prefixed(name, command));
    }

    /** The argv that runs {@code command} inside {@code name}. */
    public static String[] prefixed(String name, String... command) {
        String[] argv = new String[command.length + 4];
        argv[0] = "ip";
        argv[1] = "netns";
        argv[2] = "exec";
        argv[3] = name;
        System.arraycopy(command, 0, argv, 4, command.length);
        return argv;
    }

    /**
     * Runs a command to completion, capturing stdout and stderr; on timeout it and its descendants are
     * killed (by PID; they are ours).
     */
    public static ExecResult run(Duration timeout, String... command) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("tuntcp-exec", ".out");
            err = Files.createTempFile("tuntcp-exec", ".err");
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            boolean finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                kill(p);
            }
            return new ExecResult(List.of(command), finished ? p.exitValue() : -1,
                    Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8),
                    !finished);
        } catch (IOException e) {
            return new ExecResult(List.of(command), -1, "", e.getMessage() == null ? e.toString() : e.getMessage(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ExecResult(List.of(command), -1, "", "interrupted", false);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** Kills a process we started and everything it started: SIGTERM, then SIGKILL after a second. */
    public static void kill(Process p) {
        List<ProcessHandle> family = new ArrayList<>(p.descendants().toList());
        family.add(p.toHandle());
        family.forEach(ProcessHandle::destroy);
        for (ProcessHandle h : family) {
            try {
                h.onExit().get(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                h.destroyForcibly();
            }
        }
    }

    /**
     * Moves the calling thread into namespace {@code name} (setns(2)); closing the result moves it
     * back. See the class comment for which threads may do this.
     */
    public static Entered enter(String name) {
        int original = Libc.open("/proc/thread-self/ns/net", Libc.O_RDONLY | Libc.O_CLOEXEC);
        if (original < 0) {
            int errno = Libc.errno();
            throw new LinkSetupException(NAMESPACE, errno, "cannot open this thread's network namespace: "
                    + Libc.describe(errno) + " — is /proc mounted?");
        }
        try {
            setns(RUN_DIR.resolve(name).toString(), name);
        } catch (LinkSetupException e) {
            Libc.close(original);
            throw e;
        }
        return new Entered(original);
    }

    /** A thread's stay in a namespace; {@link #close()} returns it to the namespace it came from. */
    public static final class Entered implements AutoCloseable {
        private final int original;
        private boolean closed;

        private Entered(int original) {
            this.original = original;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            int rc = Libc.setns(original, Libc.CLONE_NEWNET);
            int errno = Libc.errno();
            Libc.close(original);
            if (rc != 0) {
                throw new LinkSetupException(NAMESPACE, errno, "cannot return to the original network namespace: "
                        + Libc.describe(errno) + " — this thread must not be reused");
            }
        }
    }

    /**
     * Runs {@code task} on a new thread that has entered {@code name}, waits for it (at most
     * {@code timeout}) and returns its result; the thread dies afterwards, so nothing else runs in
     * the namespace by accident.
     */
    public static <T> T call(String name, Duration timeout, Callable<T> task) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = threadFactory(name).newThread(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        t.setUncaughtExceptionHandler((thread, e) -> result.completeExceptionally(e));
        t.start();
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            throw new IllegalStateException(cause);
        } catch (TimeoutException e) {
            t.interrupt();
            throw new TimeoutException("task in namespace " + name + " did not finish within " + timeout);
        }
    }

    /**
     * Threads that enter {@code name} before running their task. If entering fails the thread ends
     * with that exception without running the task — never in the wrong namespace.
     */
    public static ThreadFactory threadFactory(String name) {
        return task -> {
            Thread t = new Thread(() -> {
                setns(RUN_DIR.resolve(name).toString(), name);
                task.run();
            }, "netns-" + name + "-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Whether the calling thread is in namespace {@code name} (same nsfs inode). */
    public static boolean currentThreadIn(String name) {
        try {
            Object mine = Files.getAttribute(Path.of("/proc/thread-self/ns/net"), "unix:ino");
            Object theirs = Files.getAttribute(RUN_DIR.resolve(name), "unix:ino");
            return mine.equals(theirs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void setns(String path, String name) {
        int fd = Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC);
        if (fd < 0) {
            int errno = Libc.errno();
            throw new LinkSetupException(NAMESPACE, errno, "cannot open network namespace " + name + " (" + path
                    + "): " + Libc.describe(errno) + " — create it first with: ip netns add " + name);
        }
        int rc = Libc.setns(fd, Libc.CLONE_NEWNET);
        int errno = Libc.errno();
        Libc.close(fd);
        if (rc != 0) {
            throw new LinkSetupException(NAMESPACE, errno, "cannot enter network namespace " + name + ": "
                    + Libc.describe(errno) + " — run as root (setns needs CAP_SYS_ADMIN)");
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a temp file; nothing depends on it
            }
        }
    }
}
