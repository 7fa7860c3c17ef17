package dev.tuntcp.trace;

import dev.tuntcp.trace.Ladder.Arrow;
import dev.tuntcp.trace.Ladder.Fate;
import dev.tuntcp.trace.Ladder.Row;
import dev.tuntcp.trace.Ladder.StateCell;
import java.util.ArrayList;
import java.util.List;

/**
 * The ladder for a terminal, in fixed columns (ASCII only between the lifelines, so every row puts
 * the two lifelines in the same columns whatever the terminal's idea of wide characters):
 * <pre>
 *               peer 10.13.0.1:45678 |                                        | tuntcp 10.13.0.2:80
 *                             CLOSED* |                                        | LISTEN
 *   0.000000                SYN-SENT* |---------------- [S] seq 0 ------------>| SYN-RECEIVED  SYN: the client picks …
 *   0.000120                          |&lt;----------- [S.] seq 0 ack 1 -----------| ESTABLISHED*  …
 * </pre>
 * Columns: time, the left side's state (printed when it changes; {@code *} = inferred), the left
 * lifeline, the arrow with its label, the right lifeline, the right side's state, the explanation or
 * note. A lost segment's arrow stops short with {@code X}; one the receiver dropped ends in
 * {@code X} at the lifeline. With colours on, SYN arrows are green, FIN blue, RST red.
 */
public final class LadderText {
    private static final String RESET = "\u001b[0m";
    private static final String BOLD = "\u001b[1m";
    private static final String DIM = "\u001b[2m";
    private static final int MIN_ARROW = 30;
    private static final int LOST_GAP = 6;

    private LadderText() {
    }

    /** Every connection of {@code events}, one ladder after another separated by a blank line. */
    public static String render(List<? extends TraceEvent> events, LadderOptions options) {
        StringBuilder sb = new StringBuilder();
        for (ConnectionTrace t : ConnectionTrace.split(events)) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append(render(t, options));
        }
        return sb.toString();
    }

    public static String render(ConnectionTrace trace, LadderOptions options) {
        return render(LadderBuilder.build(trace, options), options);
    }

    /** The ladder's lines, each ending in a newline. */
    public static String render(Ladder ladder, LadderOptions options) {
        boolean color = options.color();
        int timeWidth = 0;
        int leftWidth = ladder.leftName().length();
        int rightWidth = ladder.rightName().length();
        int labelWidth = 0;
        for (Row r : ladder.rows()) {
            if (options.time() && r.nanos() >= 0) {
                timeWidth = Math.max(timeWidth, time(r.nanos()).length());
            }
            leftWidth = Math.max(leftWidth, text(r.left()).length());
            rightWidth = Math.max(rightWidth, text(r.right()).length());
            if (r.arrow() != null) {
                labelWidth = Math.max(labelWidth, r.arrow().label().length());
            }
        }
        int arrowWidth = Math.max(MIN_ARROW, labelWidth + 5 + LOST_GAP);
        String lead = options.time() ? " ".repeat(timeWidth + 2) : "";

        List<String> lines = new ArrayList<>();
        lines.add(lead + pad(ladder.leftName(), leftWidth, true) + " |" + " ".repeat(arrowWidth) + "| " + ladder.rightName());
        for (Row r : ladder.rows()) {
            StringBuilder sb = new StringBuilder(160);
            if (options.time()) {
                sb.append(pad(r.nanos() >= 0 ? time(r.nanos()) : "", timeWidth, true)).append("  ");
            }
            sb.append(state(r.left(), leftWidth, true, color)).append(" |");
            sb.append(r.arrow() == null ? " ".repeat(arrowWidth) : arrow(r.arrow(), arrowWidth, color));
            sb.append("| ").append(state(r.right(), rightWidth, false, color));
            if (!r.comment().isEmpty()) {
                sb.append("  ").append(color ? DIM + r.comment() + RESET : r.comment());
            }
            lines.add(stripTrailing(sb));
        }
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            out.append(line).append('\n');
        }
        if (ladder.anyInferred()) {
            out.append(Ladder.INFERRED_NOTE).append('\n');
        }
        return out.toString();
    }

    /**
     * True when standard output is an interactive terminal that wants colours: a console is attached
     * (and, on JDK 22+, {@code Console.isTerminal()} says it is a terminal), {@code NO_COLOR} is unset
     * and {@code TERM} is not {@code dumb}. The CLI turns colours on with this unless told otherwise.
     */
    public static boolean terminalWantsColor() {
        java.io.Console console = System.console();
        if (console == null || System.getenv("NO_COLOR") != null || "dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true; // JDK 17-21: a non-null console is a terminal
        }
    }

    /** The arrow between the lifelines, exactly {@code width} characters. */
    static String arrow(Arrow a, int width, boolean color) {
        String text = " " + a.label() + " ";
        int drawn = a.fate() == Fate.LOST ? width - LOST_GAP : width;
        int dashes = Math.max(2, drawn - text.length() - 1);
        int before = dashes / 2;
        int after = dashes - before;
        char head = a.fate() == Fate.DELIVERED ? (a.leftToRight() ? '>' : '<') : 'X';
        String body;
        if (a.leftToRight()) {
            body = "-".repeat(before) + text + "-".repeat(after) + head;
        } else {
            body = head + "-".repeat(before) + text + "-".repeat(after);
        }
        String gap = " ".repeat(Math.max(0, width - body.length()));
        String line = a.leftToRight() ? body + gap : gap + body;
        if (!color || a.kind().ansi().isEmpty()) {
            return line;
        }
        return a.leftToRight() ? a.kind().ansi() + body + RESET + gap : gap + a.kind().ansi() + body + RESET;
    }

    private static String state(StateCell cell, int width, boolean rightAlign, boolean color) {
        String t = text(cell);
        String padded = pad(t, width, rightAlign);
        if (!color || t.isEmpty() || cell.inferred()) {
            return padded;
        }
        return padded.replace(t, BOLD + t + RESET);
    }

    private static String text(StateCell cell) {
        return cell == null ? "" : cell.text();
    }

    static String time(long nanos) {
        return TraceLine.appendTime(new StringBuilder(12), nanos).toString();
    }

    private static String pad(String s, int width, boolean rightAlign) {
        String fill = " ".repeat(Math.max(0, width - s.length()));
        return rightAlign ? fill + s : s + fill;
    }

    private static String stripTrailing(StringBuilder sb) {
        int end = sb.length();
        while (end > 0 && sb.charAt(end - 1) == ' ') {
            end--;
        }
        return sb.substring(0, end);
    }
}
