package dev.tuntcp.link;

import java.util.Locale;

/**
 * What a bad network does to packets, as probabilities and a delay, plus the seed that makes it
 * repeatable: {@code loss=0.05,dup=0.01,reorder=0.02,delay=5ms,corrupt=0.01,seed=7} (DESIGN §4; every
 * key optional). Immutable; an {@link ImpairedPath} applies it to one direction of a link.
 *
 * <ul>
 *   <li>{@code loss}: probability a packet is dropped;</li>
 *   <li>{@code dup}: probability a packet is delivered twice;</li>
 *   <li>{@code reorder}: probability a packet is held back an extra {@link #reorderHoldNanos()} so that
 *       packets sent after it overtake it;</li>
 *   <li>{@code delay}: one-way delay added to every packet ({@code ns}, {@code us}, {@code ms},
 *       {@code s});</li>
 *   <li>{@code corrupt}: probability one bit of the packet is flipped; a single flipped bit always
 *       changes the 16-bit one's-complement sum (RFC 1071), so the IPv4, ICMP or TCP checksum catches
 *       it;</li>
 *   <li>{@code seed}: the seed of the pseudo-random decisions; each direction draws its own stream
 *       from it, so one direction's traffic never changes the other's decisions.</li>
 * </ul>
 * Probabilities may be written as fractions ({@code 0.05}) or percentages ({@code 5%}).
 */
public final class Impairment {
    /** A perfect link: nothing lost, nothing delayed. */
    public static final Impairment NONE = new Impairment(0, 0, 0, 0, 0, 0);

    /** Extra hold of a reordered packet when the link itself has no (or a shorter) delay. */
    private static final long MIN_REORDER_HOLD_NANOS = 1_000_000;

    private final double loss;
    private final double dup;
    private final double reorder;
    private final long delayNanos;
    private final double corrupt;
    private final long seed;

    public Impairment(double loss, double dup, double reorder, long delayNanos, double corrupt, long seed) {
        this.loss = checkProbability("loss", loss);
        this.dup = checkProbability("dup", dup);
        this.reorder = checkProbability("reorder", reorder);
        this.corrupt = checkProbability("corrupt", corrupt);
        if (delayNanos < 0) {
            throw new IllegalArgumentException("impairment 'delay' must not be negative: " + delayNanos + " ns");
        }
        this.delayNanos = delayNanos;
        this.seed = seed;
    }

    /**
     * Parses a spec such as {@code loss=0.05,dup=0.01,reorder=0.02,delay=5ms,corrupt=0.01,seed=7}.
     * An empty string means {@link #NONE}.
     *
     * @throws IllegalArgumentException with a message naming the bad key or value and what is expected
     */
    public static Impairment parse(String spec) {
        double loss = 0;
        double dup = 0;
        double reorder = 0;
        long delay = 0;
        double corrupt = 0;
        long seed = 0;
        if (spec == null || spec.isBlank()) {
            return NONE;
        }
        for (String item : spec.split(",", -1)) {
            String entry = item.trim();
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new IllegalArgumentException("bad impairment entry '" + entry
                        + "': expected key=value, e.g. loss=0.05,dup=0.01,reorder=0.02,delay=5ms,corrupt=0.01,seed=7");
            }
            String key = entry.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = entry.substring(eq + 1).trim();
            switch (key) {
                case "loss":
                    loss = parseProbability(key, value);
                    break;
                case "dup":
                    dup = parseProbability(key, value);
                    break;
                case "reorder":
                    reorder = parseProbability(key, value);
                    break;
                case "corrupt":
                    corrupt = parseProbability(key, value);
                    break;
                case "delay":
                    delay = parseDuration(key, value);
                    break;
                case "seed":
                    seed = parseSeed(value);
                    break;
                default:
                    throw new IllegalArgumentException("unknown impairment key '" + key
                            + "': use loss, dup, reorder, delay, corrupt or seed");
            }
        }
        return new Impairment(loss, dup, reorder, delay, corrupt, seed);
    }

    public double loss() {
        return loss;
    }

    public double dup() {
        return dup;
    }

    public double reorder() {
        return reorder;
    }

    public long delayNanos() {
        return delayNanos;
    }

    public double corrupt() {
        return corrupt;
    }

    public long seed() {
        return seed;
    }

    /** How long a reordered packet is held beyond the delay: the delay itself, at least 1 ms. */
    public long reorderHoldNanos() {
        return Math.max(delayNanos, MIN_REORDER_HOLD_NANOS);
    }

    /** True when the impairment changes nothing (no loss, dup, reorder, corruption or delay). */
    public boolean isNone() {
        return loss == 0 && dup == 0 && reorder == 0 && corrupt == 0 && delayNanos == 0;
    }

    /** The same impairment with another seed. */
    public Impairment withSeed(long newSeed) {
        return new Impairment(loss, dup, reorder, delayNanos, corrupt, newSeed);
    }

    /** The canonical spec, which {@link #parse} reads back to an equal impairment. */
    @Override
    public String toString() {
        return "loss=" + loss + ",dup=" + dup + ",reorder=" + reorder + ",delay=" + delayNanos + "ns,corrupt="
                + corrupt + ",seed=" + seed;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Impairment)) {
            return false;
        }
        Impairment other = (Impairment) o;
        return loss == other.loss && dup == other.dup && reorder == other.reorder
                && delayNanos == other.delayNanos && corrupt == other.corrupt && seed == other.seed;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(loss) * 31 + Long.hashCode(delayNanos) * 17 + Long.hashCode(seed);
    }

    private static double checkProbability(String key, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("impairment '" + key + "' must be a probability between 0 and 1: " + p);
        }
        return p;
    }

    private static double parseProbability(String key, String value) {
        boolean percent = value.endsWith("%");
        String number = percent ? value.substring(0, value.length() - 1) : value;
        double p;
        try {
            p = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            p = Double.NaN;
        }
        if (percent) {
            p /= 100;
        }
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("bad impairment value " + key + "=" + value
                    + ": expected a probability between 0 and 1 (e.g. " + key + "=0.05 or " + key + "=5%)");
        }
        return p;
    }

    private static long parseDuration(String key, String value) {
        String v = value.toLowerCase(Locale.ROOT);
        long unit;
        String number;
        if (v.endsWith("ns")) {
            unit = 1;
            number = v.substring(0, v.length() - 2);
        } else if (v.endsWith("us")) {
            unit = 1_000;
            number = v.substring(0, v.length() - 2);
        } else if (v.endsWith("ms")) {
            unit = 1_000_000;
            number = v.substring(0, v.length() - 2);
        } else if (v.endsWith("s")) {
            unit = 1_000_000_000;
            number = v.substring(0, v.length() - 1);
        } else {
            unit = -1;
            number = v;
        }
        double amount;
        try {
            amount = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            amount = Double.NaN;
        }
        if (unit < 0 || !(amount >= 0) || amount * unit > 3_600e9) {
            throw new IllegalArgumentException("bad impairment value " + key + "=" + value
                    + ": expected a duration with a unit, between 0 and 1h (e.g. delay=5ms, 250us, 1s)");
        }
        return Math.round(amount * unit);
    }

    private static long parseSeed(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad impairment value seed=" + value + ": expected an integer (e.g. seed=7)");
        }
    }
}
