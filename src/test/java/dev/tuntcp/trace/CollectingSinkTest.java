package dev.tuntcp.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CollectingSinkTest {
    private static final ConnectionId ID = new ConnectionId(TraceScript.STACK, TraceScript.KERNEL);

    @Test
    void readersSeeAConsistentPrefixWhileTheLoopWrites() throws Exception {
        CollectingSink sink = new CollectingSink();
        int total = 20_000;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread loop = new Thread(() -> {
            for (int i = 0; i < total; i++) {
                sink.accept(new Annotation(i, ID, "n"));
            }
            sink.accept(new TimerFired(total, ID, "DONE"));
        }, "fake-event-loop");
        loop.setUncaughtExceptionHandler((t, e) -> failure.set(e));
        loop.start();
        int lastSize = 0;
        while (loop.isAlive() || lastSize < total + 1) {
            List<TraceEvent> snap = sink.snapshot();
            assertTrue(snap.size() >= lastSize, "snapshots only grow");
            for (int i = 0; i < snap.size() - 1; i++) {
                assertEquals(i, snap.get(i).nanos(), "kept in order, no gaps");
            }
            lastSize = snap.size();
        }
        loop.join();
        assertEquals(null, failure.get());
        assertEquals(total + 1, sink.size());
    }

    @Test
    void awaitReturnsTheFirstMatchingEventOnceItArrives() throws Exception {
        CollectingSink sink = new CollectingSink();
        sink.accept(new Annotation(0, ID, "before"));
        Thread later = new Thread(() -> {
            sink.accept(new Annotation(1, ID, "noise"));
            sink.accept(new TimerFired(2, ID, TimerFired.TIME_WAIT));
        });
        later.start();
        Optional<TraceEvent> hit = sink.await(e -> e instanceof TimerFired, Duration.ofSeconds(30));
        later.join();
        assertEquals(2, hit.orElseThrow().nanos());
        assertEquals(Optional.of(sink.snapshot().get(0)), sink.await(e -> e instanceof Annotation, Duration.ZERO));
        assertEquals(Optional.empty(), sink.await(e -> e instanceof Drop, Duration.ofMillis(20)));
    }

    @Test
    void boundedKeepsTheBeginningAndCountsTheRest() {
        CollectingSink sink = new CollectingSink(3);
        for (int i = 0; i < 10; i++) {
            sink.accept(new Annotation(i, ID, "e" + i));
        }
        assertEquals(3, sink.size());
        assertEquals(7, sink.overflow());
        assertEquals(2, sink.snapshot().get(2).nanos());
        sink.clear();
        assertEquals(0, sink.size());
        assertEquals(0, sink.overflow());
    }

    @Test
    void snapshotOfOneConnectionKeepsGlobalNotes() {
        CollectingSink sink = new CollectingSink();
        ConnectionId other = new ConnectionId(TraceScript.STACK, Endpoint.of("10.13.0.1", 1));
        sink.accept(new Annotation(0, null, "global"));
        sink.accept(new TimerFired(1, other, "RETRANSMIT"));
        sink.accept(new TimerFired(2, ID, "RETRANSMIT"));
        assertEquals(List.of(0L, 2L), sink.snapshot(ID).stream().map(TraceEvent::nanos).toList());
    }

    @Test
    void aThrowingSinkNeverReachesTheProducer() {
        TraceSink.SafeSink safe = TraceSink.safely(e -> {
            throw new IllegalStateException("broken renderer");
        });
        safe.accept(new Annotation(0, null, "x"));
        safe.flush();
        assertEquals(1, safe.failures());
        CollectingSink a = new CollectingSink();
        CollectingSink b = new CollectingSink();
        TraceSink.tee(a, b).accept(new Annotation(0, null, "both"));
        assertEquals(1, a.size());
        assertEquals(1, b.size());
    }
}
