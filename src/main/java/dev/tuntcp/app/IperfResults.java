package dev.tuntcp.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's results message (iperf3's {@code send_results}): CPU use, whether the sender counts
 * retransmissions, and per stream its id, bytes (received, or sent when this side sends), and the
 * measured interval. The client matches streams by id and prints the receiver's (or, with
 * {@code -R}, the sender's) line from these figures; with {@code -J} they are its
 * {@code end.sum_received} (or {@code end.sum_sent}).
 */
final class IperfResults {
    private IperfResults() {
    }

    static Map<String, Object> of(IperfParameters parameters, List<IperfStream> streams, long measureStartNanos,
            long endNanos, double[] cpu) {
        double seconds = Math.max(0, endNanos - measureStartNanos) / 1e9;
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("cpu_util_total", cpu[0]);
        results.put("cpu_util_user", cpu[1]);
        results.put("cpu_util_system", cpu[2]);
        // -1: this side only receives; 0: it sends but does not report retransmissions per stream.
        results.put("sender_has_retransmits", parameters.sendStreams() > 0 ? 0 : -1);
        List<Object> list = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (IperfStream s : streams) {
            Map<String, Object> stream = new LinkedHashMap<>();
            stream.put("id", s.id);
            stream.put("bytes", s.resultBytes());
            stream.put("retransmits", -1);
            stream.put("jitter", 0);
            stream.put("errors", 0);
            stream.put("packets", 0);
            stream.put("start_time", 0);
            stream.put("end_time", seconds);
            list.add(stream);
            text.append(String.format("[%3d] tuntcp %s %d bytes in %.2f s: %.3f Gbit/s%n", s.id,
                    s.sends ? "sent" : "received", s.resultBytes(), seconds,
                    seconds > 0 ? s.resultBytes() * 8 / seconds / 1e9 : 0.0));
        }
        results.put("streams", list);
        if (parameters.serverOutput()) {
            results.put("server_output_text", "tuntcp iperf3 service: " + parameters.summary() + "\n" + text);
        }
        return results;
    }
}
