package dev.tuntcp.leak;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.io.IOException;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects every ByteBuf leak Netty's detector reports during the test run, so a leak fails the build
 * instead of scrolling past as a log line. Installed before any buffer class loads (see
 * {@link LeakCheckingSession}); reports go to {@link #REPORT_FILE}, which the build's enforcer rule
 * requires to be absent after the tests.
 */
public final class LeakRecorder {
    /** Written when a leak is seen; {@code mvn verify} fails while it exists. */
    public static final Path REPORT_FILE = Path.of("target", "netty-leaks.txt");

    private static final List<String> LEAKS = new ArrayList<>();
    private static boolean installed;

    private LeakRecorder() {
    }

    /** Replaces Netty's detector factory with one that records leaks; idempotent. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
        try {
            Files.deleteIfExists(REPORT_FILE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot clear " + REPORT_FILE, e);
        }
    }

    /** How many leaks have been reported so far. */
    public static synchronized int leakCount() {
        return LEAKS.size();
    }

    /** The reports from index {@code from} on. */
    public static synchronized List<String> leaksSince(int from) {
        return new ArrayList<>(LEAKS.subList(from, LEAKS.size()));
    }

    /**
     * Makes Netty notice buffers that became unreachable without release: waits until a garbage
     * collection has processed references (a weak sentinel is enqueued), then allocates, because the
     * detector drains its queue on allocation.
     */
    public static void collectAndScan() {
        for (int round = 0; round < 3; round++) {
            ReferenceQueue<Object> queue = new ReferenceQueue<>();
            WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
            boolean collected = false;
            for (int attempt = 0; attempt < 50 && !collected; attempt++) {
                System.gc();
                try {
                    collected = queue.remove(100) != null;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (!collected && sentinel.get() != null) {
                return;
            }
            for (int i = 0; i < 8; i++) {
                ByteBuf probe = PooledByteBufAllocator.DEFAULT.directBuffer(8);
                probe.release();
                ByteBuf heapProbe = UnpooledByteBufAllocator.DEFAULT.heapBuffer(8);
                heapProbe.release();
            }
        }
    }

    /**
     * Removes the reports from index {@code from} on and returns them: for the self-test that leaks on
     * purpose to prove the detector works. Rewrites {@link #REPORT_FILE} with what remains.
     */
    public static synchronized List<String> forgetSince(int from) {
        List<String> removed = new ArrayList<>(LEAKS.subList(from, LEAKS.size()));
        LEAKS.subList(from, LEAKS.size()).clear();
        try {
            if (LEAKS.isEmpty()) {
                Files.deleteIfExists(REPORT_FILE);
            } else {
                Files.writeString(REPORT_FILE, String.join(System.lineSeparator() + System.lineSeparator(), LEAKS));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot rewrite " + REPORT_FILE, e);
        }
        return removed;
    }

    private static synchronized void record(String report) {
        LEAKS.add(report);
        try {
            Files.createDirectories(REPORT_FILE.getParent());
            Files.writeString(REPORT_FILE, report + System.lineSeparator() + System.lineSeparator(),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("tuntcp leak recorder: cannot write " + REPORT_FILE + ": " + e);
        }
        System.err.println("NETTY BYTEBUF LEAK: " + report);
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        @SuppressWarnings("deprecation")
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                                                                   long maxActive) {
            return new RecordingDetector<>(resource, samplingInterval);
        }
    }

    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
        RecordingDetector(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            record("LEAK: " + resourceType + ".release() was not called before it was garbage-collected."
                    + records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            record("LEAK: " + resourceType + ".release() was not called before it was garbage-collected"
                    + " (no access records).");
        }

        @Override
        protected boolean needReport() {
            return true;
        }
    }
}
