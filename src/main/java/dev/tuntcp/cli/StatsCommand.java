package dev.tuntcp.cli;

import dev.tuntcp.stats.StatsClient;
import dev.tuntcp.stats.StatsFormat;
import dev.tuntcp.stats.StatsSnapshot;
import dev.tuntcp.stats.StatsSockets;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tuntcp stats [--tun NAME | --socket PATH] [--json]}: asks a running {@code serve} for its
 * counters over its Unix-domain socket ({@link StatsSockets}) and prints them: the RFC 4022 TCP group
 * under the MIB's names, connections by state, then every TCP, IPv4, ICMP, reassembly and link
 * counter and drop reason, zeros included. Works from any network namespace that shares the file
 * system with the serve.
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Print the counters of a running serve: RFC 4022 TCP names, connections by state, every drop reason.")
final class StatsCommand implements Callable<Integer> {
    static final int EXIT_NO_SERVE = 1;
    private static final long TIMEOUT_MILLIS = 5000;

    @Option(names = "--tun", paramLabel = "NAME", description = "the serve on this TUN device (default: the only one running)")
    String tun;

    @Option(names = "--socket", paramLabel = "PATH", description = "the serve's stats socket (what serve printed, or its --stats-socket)")
    Path socket;

    @Option(names = "--json", description = "print one JSON object (e.g. for jq .tcp.PassiveOpens)")
    boolean json;

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    StatsCommand() {
        this(System.out, System.err, System.getenv());
    }

    StatsCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    @Override
    public Integer call() {
        if (tun != null && socket != null) {
            err.println("tuntcp stats: --tun and --socket name the serve twice — give one of them");
            return ServeCommand.EXIT_USAGE;
        }
        Path dir = StatsSockets.directory(env);
        Path target = socket;
        if (target == null && tun != null) {
            target = StatsSockets.forTun(dir, tun);
        }
        if (target == null) {
            List<Path> running = StatsSockets.list(dir);
            if (running.isEmpty()) {
                err.println("tuntcp stats: no running serve found in " + dir
                        + " — start tuntcp serve, or pass --socket PATH (what serve printed)");
                return EXIT_NO_SERVE;
            }
            if (running.size() > 1) {
                err.println("tuntcp stats: " + running.size() + " serves are running ("
                        + running.stream().map(StatsSockets::tunOf).collect(Collectors.joining(", "))
                        + ") — pick one with --tun NAME");
                return ServeCommand.EXIT_USAGE;
            }
            target = running.get(0);
        }
        StatsSnapshot.Parsed reply = StatsClient.fetch(target, TIMEOUT_MILLIS);
        if (!reply.ok()) {
            err.println("tuntcp stats: " + reply.error());
            return EXIT_NO_SERVE;
        }
        out.print(json ? StatsFormat.json(reply.snapshot()) : StatsFormat.text(reply.snapshot()));
        out.flush();
        return 0;
    }
}
