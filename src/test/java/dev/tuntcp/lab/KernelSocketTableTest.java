package dev.tuntcp.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.trace.ConnectionId;
import dev.tuntcp.trace.Endpoint;
import dev.tuntcp.trace.TraceState;
import java.util.List;
import org.junit.jupiter.api.Test;

class KernelSocketTableTest {
    private static final String TCP = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 0100000A:2328 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0
               1: 0100000A:9C40 02000D0A:1F90 01 00000000:00000000 00:00000000 00000000     0        0 2 1 0 20 4 30 10 -1
               2: garbage line
            """;
    private static final String TCP6 = """
              sl  local_address                         remote_address                        st tx_queue rx_queue
               0: 0000000000000000FFFF00000100000A:9C41 0000000000000000FFFF0000020D000A:1F90 06 00000000:00000000
               1: 00000000000000000000000001000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000
            """;

    @Test
    void parsesIpv4AndMappedIpv6LinesAndSkipsTheRest() {
        List<KernelSocketTable.Entry> entries = KernelSocketTable.parse(TCP + TCP6);
        assertEquals(3, entries.size(), entries.toString());
        assertEquals(Endpoint.of("10.0.0.1", 9000), entries.get(0).local());
        assertEquals(TraceState.LISTEN, entries.get(0).state());
        assertEquals(Endpoint.of("10.13.0.2", 8080), entries.get(1).remote());
        assertEquals(TraceState.ESTABLISHED, entries.get(1).state());
        assertEquals(Endpoint.of("10.0.0.1", 40001), entries.get(2).local());
        assertEquals(TraceState.TIME_WAIT, entries.get(2).state());
    }

    @Test
    void stateOfAConnectionFallsBackToListenThenClosed() {
        List<KernelSocketTable.Entry> entries = KernelSocketTable.parse(TCP + TCP6);
        ConnectionId established = new ConnectionId(Endpoint.of("10.13.0.2", 8080), Endpoint.of("10.0.0.1", 40000));
        assertEquals(TraceState.ESTABLISHED, KernelSocketTable.stateOf(entries, established));
        ConnectionId toListener = new ConnectionId(Endpoint.of("10.13.0.2", 50000), Endpoint.of("10.0.0.1", 9000));
        assertEquals(TraceState.LISTEN, KernelSocketTable.stateOf(entries, toListener));
        ConnectionId none = new ConnectionId(Endpoint.of("10.13.0.2", 50000), Endpoint.of("10.0.0.1", 9001));
        assertEquals(TraceState.CLOSED, KernelSocketTable.stateOf(entries, none));
        assertTrue(KernelSocketTable.parse("").isEmpty());
    }

    @Test
    void everyKernelStateCodeHasAName() {
        for (int code = 1; code <= 12; code++) {
            assertTrue(TraceState.fromName(KernelSocketTable.kernelName(code)) != null, "code " + code);
        }
        assertEquals(null, KernelSocketTable.kernelName(13));
    }
}
