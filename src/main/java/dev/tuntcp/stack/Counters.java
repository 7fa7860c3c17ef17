package dev.tuntcp.stack;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stack's MIB: one counter per constant of any enum (drop reasons, events). Each layer declares
 * its own enum (e.g. {@code ParseError}, {@code Ipv4Drop}, {@code TcpDrop}) so that every drop has a
 * named reason that {@code stats} can print.
 *
 * <p>Owned by the event-loop thread: increments are plain array stores, no locks. Other threads read
 * through {@link #snapshot()}, which sees values that may be slightly stale.
 */
public final class Counters {
    private final ClassValue<long[]> perEnum = new ClassValue<>() {
        @Override
        protected long[] computeValue(Class<?> type) {
            long[] values = new long[type.getEnumConstants().length];
            synchronized (registered) {
                registered.put(type, values);
            }
            return values;
        }
    };
    private final Map<Class<?>, long[]> registered = new LinkedHashMap<>();
    /**
     * The loop thread's own index from an enum constant's class to its counters: an open-addressed
     * identity table, a few nanoseconds cheaper than {@link ClassValue} on a path that counts several
     * things per packet. Only {@link #increment} and {@link #add} (loop thread) use it.
     */
    private final Class<?>[] fastKeys = new Class<?>[FAST_SLOTS];
    private final long[][] fastValues = new long[FAST_SLOTS][];
    private int fastUsed;
    private static final int FAST_SLOTS = 128;

    public void increment(Enum<?> counter) {
        values(counter)[counter.ordinal()]++;
    }

    public void add(Enum<?> counter, long amount) {
        values(counter)[counter.ordinal()] += amount;
    }

    private long[] values(Enum<?> counter) {
        // Keyed by the constant's own class (a constant with a body has one of its own), which
        // maps to the array of its declaring enum.
        Class<?> key = counter.getClass();
        int i = System.identityHashCode(key) & (FAST_SLOTS - 1);
        while (true) {
            Class<?> k = fastKeys[i];
            if (k == key) {
                return fastValues[i];
            }
            if (k == null) {
                long[] v = perEnum.get(counter.getDeclaringClass());
                if (fastUsed < FAST_SLOTS / 2) {
                    fastUsed++;
                    fastValues[i] = v;
                    fastKeys[i] = key;
                }
                return v;
            }
            i = (i + 1) & (FAST_SLOTS - 1);
        }
    }

    public long get(Enum<?> counter) {
        return perEnum.get(counter.getDeclaringClass())[counter.ordinal()];
    }

    /**
     * Every non-zero counter as {@code EnumName.CONSTANT -> value}, in registration order.
     */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new LinkedHashMap<>();
        synchronized (registered) {
            for (Map.Entry<Class<?>, long[]> e : registered.entrySet()) {
                Object[] constants = e.getKey().getEnumConstants();
                long[] values = e.getValue();
                for (int i = 0; i < values.length; i++) {
                    if (values[i] != 0) {
                        out.put(e.getKey().getSimpleName() + "." + ((Enum<?>) constants[i]).name(), values[i]);
                    }
                }
            }
        }
        return out;
    }
}
