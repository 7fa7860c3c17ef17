package dev.tuntcp.lab;

import dev.tuntcp.trace.ConnectionId;
import dev.tuntcp.trace.Endpoint;
import dev.tuntcp.trace.TraceState;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's TCP sockets as {@code /proc/net/tcp} lists them — the same table {@code ss -tan}
 * prints — parsed into entries. Lines that do not parse are skipped (they come from another
 * program; never throw on them).
 *
 * <p>Format (Linux {@code net/ipv4/tcp_ipv4.c}, {@code get_tcp4_sock}): {@code sl local_address
 * rem_address st ...}, IPv4 addresses as {@code %08X:%04X} where the address is the 32-bit value in host
 * byte order and the port is in host order, the state as two hex digits ({@code include/net/tcp_states.h}).
 */
public final class KernelSocketTable {
    private KernelSocketTable() {
    }

    /** One socket: the kernel's local and remote endpoints and its state. */
    public record Entry(Endpoint local, Endpoint remote, TraceState state, String kernelName) {
        public boolean isListener() {
            return state == TraceState.LISTEN;
        }
    }

    /**
     * Parses the text of {@code /proc/net/tcp} and/or {@code /proc/net/tcp6} (header lines included);
     * IPv6 sockets count when their addresses are IPv4-mapped.
     */
    public static List<Entry> parse(String procNetTcp) {
        List<Entry> out = new ArrayList<>();
        for (String line : procNetTcp.split("\n")) {
            Entry e = parseLine(line);
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    /** One line, or null for the header or anything malformed. */
    static Entry parseLine(String line) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 4 || !f[0].endsWith(":")) {
            return null;
        }
        Endpoint local = endpoint(f[1]);
        Endpoint remote = endpoint(f[2]);
        if (local == null || remote == null || f[3].length() != 2) {
            return null;
        }
        int code;
        try {
            code = Integer.parseInt(f[3], 16);
        } catch (NumberFormatException e) {
            return null;
        }
        String name = kernelName(code);
        return name == null ? null : new Entry(local, remote, TraceState.fromName(name), name);
    }

    private static Endpoint endpoint(String text) {
        int colon = text.indexOf(':');
        if (colon == 32 && text.length() == 37) {
            // /proc/net/tcp6: four 32-bit words. Java's sockets are IPv6 sockets by default, so an IPv4
            // peer shows as ::ffff:a.b.c.d (third word 0000FFFF); :: (any) counts as IPv4 any.
            String words = text.substring(0, 32);
            if (words.startsWith("0000000000000000FFFF0000") || words.equals("0".repeat(32))) {
                return endpoint(text.substring(24));
            }
            return null;
        }
        if (colon != 8 || text.length() != 13) {
            return null;
        }
        try {
            int raw = (int) Long.parseLong(text.substring(0, 8), 16);
            int port = Integer.parseInt(text.substring(9), 16);
            // The kernel prints the network-order address as a host-order integer.
            int address = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? Integer.reverseBytes(raw) : raw;
            return new Endpoint(address, port);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The kernel's name for state {@code code} ({@code TCP_ESTABLISHED} = 1 … {@code TCP_NEW_SYN_RECV}
     * = 12), as {@code ss} spells it, or null for an unknown code. A request socket
     * ({@code NEW_SYN_RECV}) is the kernel's SYN-RECEIVED.
     */
    static String kernelName(int code) {
        return switch (code) {
            case 1 -> "ESTAB";
            case 2 -> "SYN-SENT";
            case 3, 12 -> "SYN-RECV";
            case 4 -> "FIN-WAIT-1";
            case 5 -> "FIN-WAIT-2";
            case 6 -> "TIME-WAIT";
            case 7 -> "CLOSE";
            case 8 -> "CLOSE-WAIT";
            case 9 -> "LAST-ACK";
            case 10 -> "LISTEN";
            case 11 -> "CLOSING";
            default -> null;
        };
    }

    /**
     * The kernel's state for connection {@code id} (seen from the stack: {@code id.remote()} is the
     * kernel's endpoint): the socket with exactly that 4-tuple; else LISTEN when a listener holds the
     * kernel's port; else CLOSED (no socket: nothing would answer but an RST).
     */
    public static TraceState stateOf(List<Entry> table, ConnectionId id) {
        TraceState listening = null;
        for (Entry e : table) {
            if (e.local().port() != id.remote().port()) {
                continue;
            }
            if (e.remote().equals(id.local()) && (e.local().address() == id.remote().address()
                    || e.local().address() == 0)) {
                return e.state();
            }
            if (e.isListener() && (e.local().address() == 0 || e.local().address() == id.remote().address())) {
                listening = TraceState.LISTEN;
            }
        }
        return listening != null ? listening : TraceState.CLOSED;
    }
}
