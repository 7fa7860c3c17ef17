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

    public void increment(Enum<?> counter) {
        perEnum.get(counter.getDeclaringClass())[counter.ordinal()]++;
    }

    public void add(Enum<?> counter, long amount) {
        perEnum.get(counter.getDeclaringClass())[counter.ordinal()] += amount;
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
