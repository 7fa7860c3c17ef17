package dev.tuntcp.cli;

import dev.tuntcp.lab.Check;
import dev.tuntcp.lab.Lab;
import dev.tuntcp.lab.LabResult;
import dev.tuntcp.lab.LabSession;
import dev.tuntcp.lab.Scenario;
import dev.tuntcp.lab.Scenarios;
import dev.tuntcp.link.LinkSetupException;
import dev.tuntcp.trace.ConnectionTrace;
import dev.tuntcp.trace.LadderMermaid;
import dev.tuntcp.trace.LadderOptions;
import dev.tuntcp.trace.LadderSvg;
import dev.tuntcp.trace.LadderText;
import dev.tuntcp.trace.SeqStyle;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tuntcp lab SCENARIO} (DESIGN §4, §6): runs one fact of TCP's opening or closing against the
 * kernel in a private namespace, prints the ladder with both sides' states (the kernel's read from its
 * socket table, as {@code ss -tan} shows it), explains what just happened, and exits 0 only when the
 * scenario observed what it should. {@code tuntcp lab --list} names the scenarios.
 */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = "Run one fact of TCP's handshake or teardown against the kernel and draw it (--list).")
final class LabCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "SCENARIO", description = "scenario to run (see --list)")
    String scenario;

    @Option(names = "--list", description = "list the scenarios")
    boolean list;

    @Option(names = "--svg", paramLabel = "FILE", description = "also write the ladder as SVG")
    Path svg;

    @Option(names = "--mermaid", paramLabel = "FILE", description = "also write the ladder as a Mermaid sequence diagram")
    Path mermaid;

    @Option(names = "--pcap", paramLabel = "FILE", description = "record the packets (as the kernel saw them)")
    Path pcap;

    @Option(names = "--absolute", description = "absolute sequence numbers instead of relative ones")
    boolean absolute;

    @Option(names = "--no-color", description = "no ANSI colours")
    boolean noColor;

    private final PrintStream out;
    private final PrintStream err;

    LabCommand() {
        this(System.out, System.err);
    }

    LabCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        if (list) {
            for (Scenario s : Scenarios.all()) {
                out.printf("  %-22s %s%n", s.name(), s.summary());
            }
            return 0;
        }
        if (scenario == null) {
            err.println("tuntcp lab: name a scenario — tuntcp lab --list shows them");
            return 2;
        }
        Optional<Scenario> chosen = Scenarios.named(scenario);
        if (chosen.isEmpty()) {
            err.println("tuntcp lab: no scenario named '" + scenario + "' — tuntcp lab --list shows them");
            return 2;
        }
        Scenario s = chosen.get();
        out.println("tuntcp lab " + s.name() + ": " + s.summary());
        out.println("  namespace " + LabSession.PREFIX + "…: kernel " + LabSession.KERNEL_ADDRESS + " on TUN tt0  ⇄  tuntcp "
                + LabSession.STACK_ADDRESS + " (this process); removed afterwards");
        LabResult result;
        try {
            result = Lab.run(s, pcap);
        } catch (LinkSetupException e) {
            err.println("tuntcp lab: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println("tuntcp lab: " + (e.getMessage() == null ? e.toString() : e.getMessage()).replace('\n', ' ')
                    + " — run it as root: sudo ./tuntcp lab " + s.name());
            return 1;
        }
        return report(result);
    }

    private int report(LabResult result) {
        LadderOptions options = options(absolute, !noColor && LadderText.terminalWantsColor());
        ConnectionTrace trace = null;
        try {
            trace = result.trace();
        } catch (IllegalArgumentException noConnection) {
            out.println("  (no TCP segments were seen)");
        }
        if (trace != null) {
            out.println();
            out.print(LadderText.render(trace, options));
            out.println("  Left: the kernel, its states read from its socket table (/proc/net/tcp, what ss -tan"
                    + " shows) after each segment. Right: tuntcp, as its state machine reports them.");
        }
        if (!result.explanation().isEmpty()) {
            out.println();
            out.println("What happened:");
            for (String paragraph : result.explanation()) {
                out.println(wrap(paragraph, "  "));
            }
        }
        out.println();
        for (Check c : result.checks()) {
            out.println("  " + (c.passed() ? "✓ " : "✗ ") + c.what()
                    + (c.passed() || c.detail().isEmpty() ? "" : " — " + c.detail()));
        }
        try {
            if (trace != null && svg != null) {
                write(svg, LadderSvg.render(trace, options.color(false)));
            }
            if (trace != null && mermaid != null) {
                write(mermaid, LadderMermaid.render(trace, options.color(false)));
            }
        } catch (IOException e) {
            err.println("tuntcp lab: cannot write " + e.getMessage() + " — choose a writable path");
            return 1;
        }
        if (result.error() != null) {
            err.println("tuntcp lab: " + result.scenario() + " did not finish: " + result.error());
            return 1;
        }
        if (!result.passed()) {
            err.println("tuntcp lab: " + result.scenario() + " did not observe what it should (✗ above)");
            return 1;
        }
        out.println("  " + result.scenario() + ": observed as expected.");
        return 0;
    }

    /** The ladder options of the lab (also used by the docs' figure generator). */
    static LadderOptions options(boolean absolute, boolean color) {
        return LadderOptions.defaults()
                .explain(true)
                .color(color)
                .peerName("kernel " + LabSession.KERNEL_ADDRESS)
                .stackName("tuntcp " + LabSession.STACK_ADDRESS)
                .numbers(absolute ? SeqStyle.ABSOLUTE : SeqStyle.RELATIVE);
    }

    private static void write(Path file, String text) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static String wrap(String text, String indent) {
        StringBuilder sb = new StringBuilder();
        int col = 0;
        for (String word : text.split(" ")) {
            if (col > 0 && col + word.length() + 1 > 100) {
                sb.append('\n');
                col = 0;
            }
            if (col == 0) {
                sb.append(indent);
                col = indent.length();
            } else {
                sb.append(' ');
                col++;
            }
            sb.append(word);
            col += word.length();
        }
        return sb.toString();
    }
}
