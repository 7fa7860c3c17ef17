package dev.tuntcp.e2e;

import dev.tuntcp.link.Netns;
import dev.tuntcp.testing.TestNamespace;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code tuntcp …} as a user runs it: a separate JVM (this test's main classes and runtime
 * dependencies) inside a test namespace, with its stdin, stdout and stderr in the test's hands. The
 * JVM is the direct child ({@code ip netns exec} execs it), so its PID receives our signals. Killed by
 * PID at {@link #close()} if still running.
 */
final class TuntcpProcess implements AutoCloseable {
    private final Process process;
    private final Collector stdout;
    private final Collector stderr;

    private TuntcpProcess(Process process) {
        this.process = process;
        this.stdout = new Collector(process.getInputStream(), "stdout");
        this.stderr = new Collector(process.getErrorStream(), "stderr");
    }

    /** Starts {@code tuntcp args…} inside {@code ns}. */
    static TuntcpProcess start(TestNamespace ns, String... args) {
        // a short-lived CLI: start fast
        List<String> argv = dev.tuntcp.testing.TuntcpJvm.command(List.of("-XX:TieredStopAtLevel=1"), args);
        try {
            return new TuntcpProcess(new ProcessBuilder(Netns.prefixed(ns.name(), argv.toArray(String[]::new))).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start tuntcp " + String.join(" ", args), e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The process's standard input (closing it is the end of input: connect sends its FIN). */
    OutputStream stdin() {
        return process.getOutputStream();
    }

    byte[] stdoutBytes() {
        return stdout.bytes();
    }

    String stdout() {
        return new String(stdout.bytes(), StandardCharsets.UTF_8);
    }

    String stderr() {
        return new String(stderr.bytes(), StandardCharsets.UTF_8);
    }

    /**
     * Waits until stdout contains {@code text} (or the process ended or {@code timeout} passed); true
     * if it does. Wakes on each chunk of output, never on a timer alone.
     */
    boolean awaitStdout(String text, Duration timeout) throws InterruptedException {
        return stdout.await(text, timeout);
    }

    /** SIGTERM, by PID. */
    void terminate() {
        ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroy);
    }

    /** Waits for the exit code; -1 (after killing it) if {@code timeout} passed first. */
    int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            Netns.kill(process);
            return -1;
        }
        stdout.join();
        stderr.join();
        return process.exitValue();
    }

    /** For assertion messages. */
    String describe() {
        return "tuntcp " + (process.isAlive() ? "running" : "exit " + process.exitValue())
                + "\nstdout: " + tail(stdout()) + "\nstderr: " + tail(stderr());
    }

    private static String tail(String s) {
        return s.length() <= 6000 ? s : "…" + s.substring(s.length() - 6000);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            Netns.kill(process);
        }
    }

    /** Drains one output stream of the process on its own thread. */
    private static final class Collector {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final Thread thread;
        private boolean ended;

        Collector(InputStream from, String name) {
            thread = new Thread(() -> {
                byte[] chunk = new byte[64 * 1024];
                try (from) {
                    int n;
                    while ((n = from.read(chunk)) >= 0) {
                        synchronized (this) {
                            buffer.write(chunk, 0, n);
                            notifyAll();
                        }
                    }
                } catch (IOException ignored) {
                    // the process went away
                } finally {
                    synchronized (this) {
                        ended = true;
                        notifyAll();
                    }
                }
            }, "tuntcp-" + name);
            thread.setDaemon(true);
            thread.start();
        }

        synchronized byte[] bytes() {
            return buffer.toByteArray();
        }

        synchronized boolean await(String text, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!buffer.toString(StandardCharsets.UTF_8).contains(text)) {
                long left = deadline - System.nanoTime();
                if (ended || left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }

        void join() throws InterruptedException {
            thread.join(10_000);
        }
    }
}
