package dev.tuntcp.trace;

/**
 * Where producers put {@link TraceEvent}s. The stack calls {@link #accept} from its event loop, so an
 * implementation must be quick and must not call back into the stack; it must not throw either (a
 * broken sink must never disturb the stack), and {@link #safely} wraps one that might.
 *
 * <p>{@link #flush()} is called by the producer when it has finished a batch of work (the event loop
 * after each iteration): sinks that hold an event back to merge it with what follows (see
 * {@link StateFolding}) emit it then.
 */
@FunctionalInterface
public interface TraceSink {
    void accept(TraceEvent event);

    /** Emits anything held back; the default does nothing. */
    default void flush() {
    }

    /** A sink that discards everything. */
    static TraceSink discard() {
        return event -> { };
    }

    /** A sink that hands every event to each of {@code sinks} in order. */
    static TraceSink tee(TraceSink... sinks) {
        TraceSink[] copy = sinks.clone();
        return new TraceSink() {
            @Override
            public void accept(TraceEvent event) {
                for (TraceSink s : copy) {
                    s.accept(event);
                }
            }

            @Override
            public void flush() {
                for (TraceSink s : copy) {
                    s.flush();
                }
            }
        };
    }

    /**
     * Wraps {@code sink} so that a RuntimeException it throws is swallowed and counted instead of
     * reaching the event loop (tracing is diagnostics; it must never take the stack down).
     */
    static SafeSink safely(TraceSink sink) {
        return new SafeSink(sink);
    }

    /** See {@link #safely}. */
    final class SafeSink implements TraceSink {
        private final TraceSink delegate;
        private final java.util.concurrent.atomic.AtomicLong failures = new java.util.concurrent.atomic.AtomicLong();

        private SafeSink(TraceSink delegate) {
            this.delegate = java.util.Objects.requireNonNull(delegate, "delegate");
        }

        @Override
        public void accept(TraceEvent event) {
            try {
                delegate.accept(event);
            } catch (RuntimeException e) {
                failures.incrementAndGet();
            }
        }

        @Override
        public void flush() {
            try {
                delegate.flush();
            } catch (RuntimeException e) {
                failures.incrementAndGet();
            }
        }

        /** How many calls the delegate failed. */
        public long failures() {
            return failures.get();
        }
    }
}
