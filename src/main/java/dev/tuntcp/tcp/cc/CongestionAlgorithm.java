package dev.tuntcp.tcp.cc;

import java.util.Locale;

/** The congestion-control algorithms a stack can use (`--cc newreno|cubic`, DESIGN §4). */
public enum CongestionAlgorithm {
    /** RFC 5681 slow start and congestion avoidance with RFC 6582 fast recovery. */
    NEWRENO,
    /** RFC 9438: a cubic window function of the time since the last congestion event. */
    CUBIC;

    /** A fresh instance for one connection. */
    public CongestionControl create() {
        return switch (this) {
            case NEWRENO -> new NewReno();
            case CUBIC -> new Cubic();
        };
    }

    /** The command-line name. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code newreno} or {@code cubic} (any case).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static CongestionAlgorithm parse(String text) {
        for (CongestionAlgorithm a : values()) {
            if (a.cliName().equalsIgnoreCase(text.trim())) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown congestion control '" + text + "': use newreno or cubic");
    }
}
