package dev.tuntcp.tcp;

import java.util.Locale;

/**
 * One segment line of a script, parsed: {@code < S. 0:0(0) ack 1 win 65535 <mss 1460>}. The text form
 * follows packetdrill: flags ({@code S F R P U}, {@code .} for ACK), {@code start:end(length)}, then
 * optional {@code ack N}, {@code win N}, {@code urg N} and an option list in angle brackets.
 * Unspecified window and options are "don't care" in an expectation and defaults in an injection.
 */
final class ScriptSegment {
    final boolean inbound;
    final int flags;
    final long seq;
    final int length;
    final Long ack;
    final Integer window;
    final Integer urgent;
    /** The option text exactly as written (normalised), or null when not given. */
    final String options;
    final Integer mss;
    final Integer windowScale;
    final boolean sackPermitted;
    final boolean timestamps;
    final long tsVal;
    final long tsEcr;
    /** SACK blocks as written (left, right pairs), relative to our ISS like an inbound ACK. */
    final long[] sackBlocks;

    private ScriptSegment(boolean inbound, int flags, long seq, int length, Long ack, Integer window,
                          Integer urgent, String options) {
        this.inbound = inbound;
        this.flags = flags;
        this.seq = seq;
        this.length = length;
        this.ack = ack;
        this.window = window;
        this.urgent = urgent;
        this.options = options;
        Integer m = null;
        Integer ws = null;
        boolean sack = false;
        boolean ts = false;
        long val = 0;
        long ecr = 0;
        long[] blocks = new long[0];
        if (options != null && !options.isEmpty()) {
            for (String opt : options.split(",")) {
                String[] w = opt.trim().split("\\s+");
                switch (w[0]) {
                    case "mss" -> m = Integer.parseInt(w[1]);
                    case "wscale" -> ws = Integer.parseInt(w[1]);
                    case "sackOK" -> sack = true;
                    case "TS" -> {
                        ts = true;
                        val = Long.parseLong(w[2]);
                        ecr = Long.parseLong(w[4]);
                    }
                    case "sack" -> {
                        // "sack 1:2 3:4", or as the trace renders it, "sack 2 {1:2}{3:4}"
                        String[] edgePairs = opt.trim().substring(4).replaceAll("^\\s*\\d+\\s*\\{", "{")
                                .replaceAll("[{}]", " ").trim().split("\\s+");
                        blocks = new long[2 * edgePairs.length];
                        for (int i = 0; i < edgePairs.length; i++) {
                            String[] edges = edgePairs[i].split(":");
                            blocks[2 * i] = Long.parseLong(edges[0]);
                            blocks[2 * i + 1] = Long.parseLong(edges[1]);
                        }
                    }
                    case "nop", "eol" -> {
                    }
                    default -> throw new IllegalArgumentException("unknown option: " + opt);
                }
            }
        }
        this.mss = m;
        this.windowScale = ws;
        this.sackPermitted = sack;
        this.timestamps = ts;
        this.tsVal = val;
        this.tsEcr = ecr;
        this.sackBlocks = blocks;
    }

    static ScriptSegment parse(String line) {
        String text = line.trim();
        boolean inbound = text.startsWith("<");
        text = text.substring(1).trim();
        String options = null;
        int lt = text.indexOf('<');
        if (lt >= 0) {
            int gt = text.lastIndexOf('>');
            if (gt < lt) {
                throw new IllegalArgumentException("unclosed option list");
            }
            options = normaliseOptions(text.substring(lt + 1, gt));
            text = text.substring(0, lt).trim();
        }
        String[] w = text.split("\\s+");
        int flags = parseFlags(w[0]);
        String range = w[1];
        int colon = range.indexOf(':');
        int paren = range.indexOf('(');
        long start = Long.parseLong(range.substring(0, colon));
        long end = Long.parseLong(range.substring(colon + 1, paren));
        int length = Integer.parseInt(range.substring(paren + 1, range.indexOf(')')));
        if (((end - start) & 0xffffffffL) != length) {
            throw new IllegalArgumentException("range " + range + " does not match its length");
        }
        Long ack = null;
        Integer window = null;
        Integer urgent = null;
        for (int i = 2; i < w.length; i += 2) {
            switch (w[i]) {
                case "ack" -> ack = Long.parseLong(w[i + 1]);
                case "win" -> window = Integer.parseInt(w[i + 1]);
                case "urg" -> urgent = Integer.parseInt(w[i + 1]);
                default -> throw new IllegalArgumentException("unknown field " + w[i]);
            }
        }
        return new ScriptSegment(inbound, flags, start, length, ack, window, urgent, options);
    }

    static int parseFlags(String s) {
        int f = 0;
        for (char ch : s.toCharArray()) {
            f |= switch (ch) {
                case 'S' -> Segment.SYN;
                case 'F' -> Segment.FIN;
                case 'R' -> Segment.RST;
                case 'P' -> Segment.PSH;
                case 'U' -> Segment.URG;
                case '.' -> Segment.ACK;
                default -> throw new IllegalArgumentException("unknown flag " + ch);
            };
        }
        return f;
    }

    static String flagsText(int flags) {
        StringBuilder sb = new StringBuilder();
        if ((flags & Segment.SYN) != 0) {
            sb.append('S');
        }
        if ((flags & Segment.FIN) != 0) {
            sb.append('F');
        }
        if ((flags & Segment.RST) != 0) {
            sb.append('R');
        }
        if ((flags & Segment.PSH) != 0) {
            sb.append('P');
        }
        if ((flags & Segment.URG) != 0) {
            sb.append('U');
        }
        if ((flags & Segment.ACK) != 0) {
            sb.append('.');
        }
        return sb.toString();
    }

    static String normaliseOptions(String s) {
        StringBuilder sb = new StringBuilder();
        for (String opt : s.split(",")) {
            String o = opt.trim().replaceAll("\\s+", " ");
            if (o.equals("nop") || o.equals("eol") || o.isEmpty()) {
                continue;
            }
            sb.append(sb.length() > 0 ? "," : "").append(o);
        }
        return sb.toString().toLowerCase(Locale.ROOT).replace("sackok", "sackOK").replace("ts ", "TS ");
    }
}
