package dev.tuntcp.trace;

import java.io.PrintStream;

/**
 * The {@code --trace} sink: folds the stack's state changes into the segments that caused them
 * ({@link StateFolding}) and prints one {@link TraceLine} per event. Call {@link #flush()} at the end
 * of each event-loop iteration so a held-back segment is printed without waiting for the next event.
 * Printing errors are left to the PrintStream (which never throws).
 */
public final class LinePrinter implements TraceSink {
    private final StateFolding folding;
    private final PrintStream out;

    public LinePrinter(PrintStream out, SeqStyle style) {
        this.out = java.util.Objects.requireNonNull(out, "out");
        TraceLine line = new TraceLine(style);
        this.folding = new StateFolding(new TraceSink() {
            @Override
            public void accept(TraceEvent event) {
                LinePrinter.this.out.println(line.format(event));
            }

            @Override
            public void flush() {
                LinePrinter.this.out.flush();
            }
        });
    }

    public LinePrinter(PrintStream out) {
        this(out, SeqStyle.BOTH);
    }

    @Override
    public void accept(TraceEvent event) {
        folding.accept(event);
    }

    @Override
    public void flush() {
        folding.flush();
    }
}
