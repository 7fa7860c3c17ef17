package dev.tuntcp.app;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The test an iperf3 client asks for (its {@code send_parameters} JSON), checked against what this
 * service can do. Anything it cannot do honestly is refused with the {@code i_errno} the client then
 * prints ({@link IperfProtocol.Error}), never ignored into a wrong measurement and never a hang:
 * UDP and SCTP, authentication, a rate limit or fair-queue pacing on streams this side sends, IP TOS
 * on them, and any option this code does not know that the client actually set.
 *
 * @param receiveStreams data connections on which the client sends and this side counts
 * @param sendStreams data connections on which this side sends (after the receiving ones, as the
 *     client opens them for {@code --bidir})
 * @param blockSize {@code -l}: the sender's write size; bounds {@code -k} in bytes
 * @param byteBudget {@code -n} or {@code -k × -l} for streams this side sends; 0 means "until TEST_END"
 */
record IperfParameters(
        int receiveStreams,
        int sendStreams,
        int blockSize,
        int timeSeconds,
        int omitSeconds,
        long byteBudget,
        boolean noDelay,
        boolean serverOutput,
        String summary) {

    /** The defaults of the iperf3 client ({@code DEFAULT_TCP_BLKSIZE}, {@code DURATION}). */
    static final int DEFAULT_BLOCK_SIZE = 128 * 1024;
    static final int DEFAULT_TIME = 10;

    /** Options the service accepts and can leave to the client (it applies them on its own sockets). */
    private static final Set<String> KNOWN = Set.of("tcp", "udp", "sctp", "omit", "time", "num", "blockcount",
            "parallel", "reverse", "bidirectional", "len", "pacing_timer", "client_version", "MSS", "nodelay",
            "window", "congestion", "congestion_used", "title", "extra_data", "get_server_output", "zerocopy",
            "repeating_payload", "dont_fragment", "udp_counters_64bit", "server_affinity", "TOS", "flowlabel",
            "bandwidth", "fqrate", "burst", "authtoken");

    /** A checked request: exactly one of {@code parameters} or {@code error} is set. */
    record Outcome(IperfParameters parameters, IperfProtocol.Error error, String reason) {
        static Outcome refuse(IperfProtocol.Error error, String reason) {
            return new Outcome(null, error, reason);
        }
    }

    int streams() {
        return receiveStreams + sendStreams;
    }

    /** The parameters in {@code json} (the parsed object), or why they are refused. */
    static Outcome from(Object json) {
        if (!(json instanceof Map<?, ?> p)) {
            return Outcome.refuse(IperfProtocol.Error.RECEIVE_PARAMETERS, "parameters are not a JSON object");
        }
        if (isSet(p.get("udp")) || isSet(p.get("sctp")) || !p.containsKey("tcp")) {
            return Outcome.refuse(IperfProtocol.Error.PROTOCOL, "only TCP is served (no -u, no --sctp)");
        }
        if (p.containsKey("authtoken")) {
            return Outcome.refuse(IperfProtocol.Error.AUTHORIZATION, "no users are configured for authentication");
        }
        for (Map.Entry<?, ?> e : p.entrySet()) {
            if (!KNOWN.contains(String.valueOf(e.getKey())) && isSet(e.getValue())) {
                return Outcome.refuse(IperfProtocol.Error.NOT_IMPLEMENTED, "unknown option " + e.getKey());
            }
        }
        long parallel = number(p, "parallel", 1);
        long len = number(p, "len", DEFAULT_BLOCK_SIZE);
        long time = number(p, "time", DEFAULT_TIME);
        long omit = number(p, "omit", 0);
        long bytes = number(p, "num", 0);
        long blocks = number(p, "blockcount", 0);
        if (parallel < 1 || parallel > IperfProtocol.MAX_STREAMS) {
            return Outcome.refuse(IperfProtocol.Error.NUM_STREAMS, "parallel " + parallel);
        }
        if (len < 1 || len > IperfProtocol.MAX_BLOCKSIZE) {
            return Outcome.refuse(IperfProtocol.Error.BLOCK_SIZE, "len " + len);
        }
        if (time < 0 || time > IperfProtocol.MAX_TIME) {
            return Outcome.refuse(IperfProtocol.Error.DURATION, "time " + time);
        }
        if (omit < 0 || omit > IperfProtocol.MAX_OMIT_TIME) {
            return Outcome.refuse(IperfProtocol.Error.OMIT, "omit " + omit);
        }
        if (bytes < 0 || blocks < 0) {
            return Outcome.refuse(IperfProtocol.Error.NOT_IMPLEMENTED, "negative -n or -k");
        }
        boolean reverse = isSet(p.get("reverse"));
        boolean bidirectional = isSet(p.get("bidirectional"));
        if (reverse && bidirectional) {
            return Outcome.refuse(IperfProtocol.Error.NOT_IMPLEMENTED, "both -R and --bidir");
        }
        boolean serverSends = reverse || bidirectional;
        if (serverSends) {
            // Pacing and marking apply to the sender's socket, here: without them the figures would
            // describe a different test than the one asked for.
            for (String option : List.of("bandwidth", "fqrate", "TOS")) {
                if (isSet(p.get(option))) {
                    return Outcome.refuse(IperfProtocol.Error.NOT_IMPLEMENTED,
                            option + " on streams this server sends");
                }
            }
        }
        int n = (int) parallel;
        long budget = bytes > 0 ? bytes : blocks > 0 ? blocks * len : 0;
        String summary = (reverse ? "reverse " : bidirectional ? "bidirectional " : "") + n + " stream"
                + (n == 1 ? "" : "s") + (time > 0 ? ", " + time + " s" : "") + (budget > 0 ? ", " + budget + " bytes" : "");
        return new Outcome(new IperfParameters(reverse ? 0 : n, serverSends ? n : 0, (int) len, (int) time,
                (int) omit, budget, isSet(p.get("nodelay")), isSet(p.get("get_server_output")), summary), null, null);
    }

    /** Whether the client set an option: present and not false, 0 or empty (as cJSON's checks). */
    static boolean isSet(Object value) {
        if (value == null || value == IperfJson.NULL || Boolean.FALSE.equals(value)) {
            return false;
        }
        if (value instanceof Number n) {
            return n.doubleValue() != 0;
        }
        if (value instanceof String s) {
            return !s.isEmpty();
        }
        if (value instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        return !(value instanceof List<?> l) || !l.isEmpty();
    }

    private static long number(Map<?, ?> p, String key, long absent) {
        Object v = p.get(key);
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return d >= Long.MAX_VALUE / 2 ? Long.MAX_VALUE / 2 : d <= Long.MIN_VALUE / 2 ? Long.MIN_VALUE / 2 : n.longValue();
        }
        return absent;
    }
}
