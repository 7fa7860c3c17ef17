package dev.tuntcp.trace;

import dev.tuntcp.trace.Ladder.Arrow;
import dev.tuntcp.trace.Ladder.Fate;
import dev.tuntcp.trace.Ladder.Row;
import dev.tuntcp.trace.Ladder.StateCell;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The ladder as a standalone SVG document for the docs and the README: the two sides as titled
 * lifelines, each segment a slanted arrow (time passes while it travels) with its label along it,
 * coloured by kind (SYN green, FIN blue, RST red, data dark, bare ACK grey), the state each side
 * enters in a box beside its lifeline (dashed and italic when inferred), times on the left and the
 * explanations on the right. Every segment is one {@code <g class="segment KIND">} element.
 */
public final class LadderSvg {
    private static final double CHAR = 7.25;
    private static final double SMALL_CHAR = 6.3;
    private static final int MARGIN = 20;
    private static final int SLANT = 16;
    private static final int ARROW_ROW = 46;
    private static final int PLAIN_ROW = 28;
    private static final int COMMENT_WRAP = 78;
    private static final int COMMENT_LINE = 14;
    private static final String MONO = "DejaVu Sans Mono, Menlo, Consolas, monospace";
    private static final String SANS = "DejaVu Sans, Helvetica, Arial, sans-serif";

    private LadderSvg() {
    }

    public static String render(ConnectionTrace trace, LadderOptions options) {
        return render(LadderBuilder.build(trace, options), options);
    }

    public static String render(Ladder ladder, LadderOptions options) {
        int leftChars = ladder.leftName().length();
        int rightChars = ladder.rightName().length();
        int labelChars = 0;
        int commentChars = 0;
        for (Row r : ladder.rows()) {
            leftChars = Math.max(leftChars, text(r.left()).length() + 2);
            rightChars = Math.max(rightChars, text(r.right()).length() + 2);
            if (r.arrow() != null) {
                labelChars = Math.max(labelChars, r.arrow().label().length());
            }
            for (String line : wrap(r.comment())) {
                commentChars = Math.max(commentChars, line.length());
            }
        }
        double timeWidth = options.time() ? 64 : 0;
        double xLeft = MARGIN + timeWidth + Math.max(leftChars * CHAR / 2 + 10, text(leftStateMax(ladder)).length() * CHAR + 30);
        double span = Math.max(300, labelChars * CHAR + 70);
        double xRight = xLeft + span;
        double rightStates = Math.max(rightChars * CHAR / 2 + 10, text(rightStateMax(ladder)).length() * CHAR + 30);
        double commentX = xRight + rightStates + 16;
        double width = commentChars == 0 ? xRight + rightStates + MARGIN : commentX + commentChars * SMALL_CHAR + MARGIN;

        List<String> body = new ArrayList<>();
        double y = 78;
        for (Row r : ladder.rows()) {
            List<String> comment = wrap(r.comment());
            double height = Math.max(r.arrow() != null ? ARROW_ROW : PLAIN_ROW, comment.size() * COMMENT_LINE + 14);
            double top = y + 14;
            if (options.time() && r.nanos() >= 0) {
                body.add(String.format(Locale.ROOT, "<text class=\"time\" x=\"%.1f\" y=\"%.1f\">%s</text>",
                        (double) MARGIN, top + 4, LadderText.time(r.nanos())));
            }
            double leftY = top;
            double rightY = top;
            if (r.arrow() != null) {
                Arrow a = r.arrow();
                leftY = a.leftToRight() ? top : top + SLANT;
                rightY = a.leftToRight() ? top + SLANT : top;
                body.add(arrow(a, xLeft, leftY, xRight, rightY));
            }
            if (r.left() != null) {
                body.add(stateBox(r.left(), xLeft - 8, leftY, true));
            }
            if (r.right() != null) {
                body.add(stateBox(r.right(), xRight + 8, rightY, false));
            }
            for (int i = 0; i < comment.size(); i++) {
                body.add(String.format(Locale.ROOT, "<text class=\"note\" x=\"%.1f\" y=\"%.1f\">%s</text>",
                        commentX, top + 4 + i * COMMENT_LINE, esc(comment.get(i))));
            }
            y += height;
        }
        double lifelineEnd = y + 8;
        double height = lifelineEnd + (ladder.anyInferred() ? 34 : 16);

        StringBuilder sb = new StringBuilder(8192);
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\""
                + " viewBox=\"0 0 %.0f %.0f\" role=\"img\">\n", width, height, width, height));
        sb.append("<title>").append(esc(ladder.leftName() + " and " + ladder.rightName())).append("</title>\n");
        style(sb);
        sb.append(String.format(Locale.ROOT, "<rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"#ffffff\"/>\n",
                width, height));
        for (double x : new double[] {xLeft, xRight}) {
            sb.append(String.format(Locale.ROOT, "<line class=\"lifeline\" x1=\"%.1f\" y1=\"52\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
                    x, x, lifelineEnd));
        }
        header(sb, ladder.leftName(), xLeft);
        header(sb, ladder.rightName(), xRight);
        for (String line : body) {
            sb.append(line).append('\n');
        }
        if (ladder.anyInferred()) {
            sb.append(String.format(Locale.ROOT, "<text class=\"note\" x=\"%d\" y=\"%.1f\">%s</text>\n", MARGIN,
                    lifelineEnd + 22, esc(Ladder.INFERRED_NOTE)));
        }
        return sb.append("</svg>\n").toString();
    }

    private static void style(StringBuilder sb) {
        sb.append("<defs>\n<style>\n")
                .append(".lifeline{stroke:#9e9e9e;stroke-width:1.5}\n")
                .append(".who{font:bold 13px ").append(SANS).append(";fill:#212121}\n")
                .append(".whobox{fill:#eceff1;stroke:#90a4ae;stroke-width:1}\n")
                .append(".label{font:12px ").append(MONO).append("}\n")
                .append(".time{font:11px ").append(MONO).append(";fill:#757575}\n")
                .append(".note{font:11px ").append(SANS).append(";fill:#424242}\n")
                .append(".state{font:bold 11px ").append(MONO).append(";fill:#37474f}\n")
                .append(".statebox{fill:#fff8e1;stroke:#ffb300;stroke-width:1}\n")
                .append(".inferred .state{font-style:italic;font-weight:normal}\n")
                .append(".inferred .statebox{fill:#fafafa;stroke:#bdbdbd;stroke-dasharray:3 2}\n")
                .append("</style>\n");
        for (SegmentKind k : SegmentKind.values()) {
            sb.append("<marker id=\"head-").append(k.name().toLowerCase(Locale.ROOT))
                    .append("\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\"")
                    .append(" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"").append(k.rgb()).append("\"/></marker>\n");
        }
        sb.append("</defs>\n");
    }

    private static void header(StringBuilder sb, String name, double x) {
        double w = name.length() * CHAR + 24;
        sb.append(String.format(Locale.ROOT, "<rect class=\"whobox\" x=\"%.1f\" y=\"18\" width=\"%.1f\" height=\"32\" rx=\"5\"/>\n",
                x - w / 2, w));
        sb.append(String.format(Locale.ROOT, "<text class=\"who\" x=\"%.1f\" y=\"39\" text-anchor=\"middle\">%s</text>\n",
                x, esc(name)));
    }

    private static String arrow(Arrow a, double xLeft, double leftY, double xRight, double rightY) {
        double x1 = a.leftToRight() ? xLeft : xRight;
        double y1 = a.leftToRight() ? leftY : rightY;
        double x2 = a.leftToRight() ? xRight : xLeft;
        double y2 = a.leftToRight() ? rightY : leftY;
        String kind = a.kind().name().toLowerCase(Locale.ROOT);
        String color = a.kind().rgb();
        StringBuilder g = new StringBuilder(400);
        g.append("<g class=\"segment ").append(kind).append(a.fate() == Fate.DELIVERED ? "" : " " + a.fate().name().toLowerCase(Locale.ROOT))
                .append("\">");
        double ex = x2;
        double ey = y2;
        if (a.fate() == Fate.LOST) {
            ex = x1 + (x2 - x1) * 0.72;
            ey = y1 + (y2 - y1) * 0.72;
        } else {
            // Stop the line a hair short of the lifeline so the arrowhead's tip touches it.
            ex = x2 - Math.signum(x2 - x1) * 1.5;
        }
        g.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\""
                + " stroke-width=\"1.6\"%s/>", x1, y1, ex, ey, color,
                a.fate() == Fate.LOST ? " stroke-dasharray=\"6 3\"" : " marker-end=\"url(#head-" + kind + ")\""));
        if (a.fate() != Fate.DELIVERED) {
            double cx = a.fate() == Fate.LOST ? ex : x2 - Math.signum(x2 - x1) * 14;
            double cy = a.fate() == Fate.LOST ? ey : y2;
            g.append(String.format(Locale.ROOT, "<path d=\"M%.1f,%.1f l10,10 m0,-10 l-10,10\" stroke=\"#c62828\""
                    + " stroke-width=\"2.2\"/>", cx - 5, cy - 5));
        }
        double mx = (x1 + x2) / 2;
        double my = (y1 + y2) / 2;
        double angle = Math.toDegrees(Math.atan2(y2 - y1, x2 - x1));
        if (angle > 90 || angle < -90) {
            angle += 180; // keep the text upright on right-to-left arrows
        }
        g.append(String.format(Locale.ROOT, "<text class=\"label\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"%s\""
                + " transform=\"rotate(%.2f %.1f %.1f)\">%s</text>", mx, my - 6, color, angle, mx, my, esc(a.label())));
        return g.append("</g>").toString();
    }

    private static String stateBox(StateCell cell, double x, double y, boolean leftOfX) {
        String t = cell.text();
        double w = t.length() * 6.9 + 14;
        double bx = leftOfX ? x - w : x;
        return String.format(Locale.ROOT, "<g class=\"%s\"><rect class=\"statebox\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\""
                + " height=\"18\" rx=\"4\"/><text class=\"state\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text></g>",
                cell.inferred() ? "stategroup inferred" : "stategroup", bx, y - 9, w, bx + w / 2, y + 4, esc(t));
    }

    private static StateCell leftStateMax(Ladder ladder) {
        StateCell best = null;
        for (Row r : ladder.rows()) {
            if (r.left() != null && (best == null || r.left().text().length() > best.text().length())) {
                best = r.left();
            }
        }
        return best;
    }

    private static StateCell rightStateMax(Ladder ladder) {
        StateCell best = null;
        for (Row r : ladder.rows()) {
            if (r.right() != null && (best == null || r.right().text().length() > best.text().length())) {
                best = r.right();
            }
        }
        return best;
    }

    private static String text(StateCell cell) {
        return cell == null ? "" : cell.text();
    }

    /** Splits a comment into lines of at most {@link #COMMENT_WRAP} characters at spaces. */
    static List<String> wrap(String comment) {
        List<String> lines = new ArrayList<>();
        String rest = comment.strip();
        while (rest.length() > COMMENT_WRAP) {
            int cut = rest.lastIndexOf(' ', COMMENT_WRAP);
            if (cut <= 0) {
                cut = COMMENT_WRAP;
            }
            lines.add(rest.substring(0, cut));
            rest = rest.substring(cut).strip();
        }
        if (!rest.isEmpty()) {
            lines.add(rest);
        }
        return lines;
    }

    /** Escapes text for XML character data and attribute values. */
    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> {
                    if (c >= 0x20 || c == '\t' || c == '\n') {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
