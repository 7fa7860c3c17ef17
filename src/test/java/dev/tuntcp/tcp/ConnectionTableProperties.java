package dev.tuntcp.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.tuntcp.stack.Counters;
import dev.tuntcp.stack.TimerQueue;
import dev.tuntcp.stack.VirtualClock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The 4-tuple table behaves like a map, whatever the order of adds and removes. */
class ConnectionTableProperties {
    private final TcpLayer layer = new TcpLayer(TestAllocator.config(), new TimerQueue(new VirtualClock()), new Counters(),
            seg -> { });

    @Property(tries = 300)
    void behavesLikeAMap(@ForAll @Size(max = 400) List<@IntRange(min = 0, max = 2999) Integer> ops,
                         @ForAll long seed) {
        ConnectionTable table = new ConnectionTable(seed);
        Map<Integer, Connection> model = new HashMap<>();
        List<Connection> pool = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            // few distinct addresses and ports, so keys collide in every field but one
            pool.add(new Connection(layer, 10 + (i % 3), 80 + (i % 7), 20 + (i / 21), 1000 + (i % 5), null));
        }
        for (int op : ops) {
            int key = op % 1000;
            Connection c = pool.get(key);
            if (op < 2000) {
                boolean added = table.add(c);
                assertEquals(!model.containsKey(key), added);
                model.put(key, c);
            } else {
                boolean removed = table.remove(c);
                assertEquals(model.remove(key) != null, removed);
            }
            assertEquals(model.size(), table.size());
        }
        for (int key = 0; key < 1000; key++) {
            Connection c = pool.get(key);
            Connection found = table.find(c.localAddress, c.localPort, c.remoteAddress, c.remotePort);
            assertSame(model.get(key), found);
        }
    }
}
