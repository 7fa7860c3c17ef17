package dev.tuntcp.trace;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pairs each {@link Drop} that names a segment with the traced segment it refers to: the latest
 * earlier segment with the same direction, flags, seq, ack and length (the drop's copy of the
 * segment may carry a different time or state fields). Drops whose segment was never traced —
 * e.g. a peer's segment lost before it reached the stack — stay unmatched.
 */
final class DropMatching {
    final Map<SegmentEvent, Drop> dropOf = new IdentityHashMap<>();
    final Set<Drop> matched = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

    DropMatching(List<? extends TraceEvent> events) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) instanceof Drop d && d.segment() != null) {
                for (int j = i - 1; j >= 0; j--) {
                    if (events.get(j) instanceof SegmentEvent s && same(s, d.segment()) && !dropOf.containsKey(s)) {
                        dropOf.put(s, d);
                        matched.add(d);
                        break;
                    }
                }
            }
        }
    }

    /** True when {@code s} never had its effect on the receiver (lost or refused). */
    boolean undelivered(SegmentEvent s) {
        return dropOf.containsKey(s);
    }

    static boolean same(SegmentEvent a, SegmentEvent b) {
        return a.direction() == b.direction() && a.seq() == b.seq() && a.ack() == b.ack() && a.flags() == b.flags()
                && a.payloadLength() == b.payloadLength();
    }
}
