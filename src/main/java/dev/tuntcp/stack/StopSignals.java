package dev.tuntcp.stack;

import sun.misc.Signal;

/**
 * Turns SIGINT and SIGTERM into a graceful stop (DESIGN §4: serve "closes connections gracefully and
 * exits 0"). A JVM shutdown hook would not do: after SIGTERM the JVM exits with 143 whatever the hook
 * does. {@code sun.misc.Signal} (module jdk.unsupported, present in JDK 17 through 25) lets the
 * process handle the signal and exit on its own terms instead.
 *
 * <p>A second signal while stopping is taken as impatience: the process exits at once with 130.
 */
public final class StopSignals {
    private StopSignals() {
    }

    /** Runs {@code onStop} (on the JVM's signal thread) at the first SIGINT or SIGTERM. */
    public static void install(Runnable onStop) {
        boolean[] stopping = new boolean[1];
        Signal.handle(new Signal("INT"), s -> react(stopping, onStop));
        Signal.handle(new Signal("TERM"), s -> react(stopping, onStop));
    }

    private static synchronized void react(boolean[] stopping, Runnable onStop) {
        if (stopping[0]) {
            Runtime.getRuntime().halt(130);
        }
        stopping[0] = true;
        onStop.run();
    }
}
