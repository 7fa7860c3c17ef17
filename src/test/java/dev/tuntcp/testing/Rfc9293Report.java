package dev.tuntcp.testing;

import dev.tuntcp.testing.Rfc9293Requirement.Level;
import dev.tuntcp.testing.Rfc9293Requirement.Status;
import dev.tuntcp.testing.Rfc9293TaggedTests.Tagged;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders {@code docs/rfc9293-compliance.md} from the requirement list and the tagged tests: summary
 * counts, then one table per level (MUST, SHOULD, MAY and RECOMMENDED) in identifier order, each row
 * with its section, our paraphrase, the status and the covering tests (linked to their source) or
 * the reason. The output depends only on its inputs, so CI can compare it with the committed file.
 */
final class Rfc9293Report {
    static final String REPORT = "docs/rfc9293-compliance.md";
    static final String DATA = "docs/rfc9293-requirements.tsv";
    static final String REGENERATE = "docs/gen/rfc9293-compliance.sh";
    static final String REGENERATE_MVN =
            "mvn -q -Dtest=Rfc9293ComplianceReportTest -Dtuntcp.regenerate=true -Dsurefire.failIfNoSpecifiedTests=false test";
    private static final String[] SOURCE_ROOTS = {"src/test/java", "benchmarks/src/java"};

    private final List<Rfc9293Requirement> requirements;
    private final Map<String, List<Tagged>> testsById = new LinkedHashMap<>();
    private final Path projectRoot;

    Rfc9293Report(List<Rfc9293Requirement> requirements, List<Tagged> tagged, Path projectRoot) {
        this.requirements = requirements;
        this.projectRoot = projectRoot;
        for (Tagged t : tagged) {
            for (String id : new LinkedHashSet<>(t.ids())) {
                List<Tagged> list = testsById.computeIfAbsent(id, k -> new ArrayList<>());
                if (list.stream().noneMatch(o -> o.displayName().equals(t.displayName()))) {
                    list.add(t);
                }
            }
        }
    }

    List<Tagged> testsOf(String id) {
        return testsById.getOrDefault(id, List.of());
    }

    /** The status the report shows: tests found for a pending or not-covered line count as covered. */
    String shownStatus(Rfc9293Requirement r) {
        boolean tested = !testsOf(r.id()).isEmpty();
        if (tested && (r.status() == Status.PENDING || r.status() == Status.NOT_COVERED)) {
            return Status.COVERED.text;
        }
        return r.status().text;
    }

    String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("# RFC 9293 compliance\n\n");
        sb.append("Every numbered requirement of [RFC 9293](https://www.rfc-editor.org/rfc/rfc9293) (TCP), Appendix B,")
                .append(" with the tests that prove it or why none does.\n");
        sb.append("Generated from [`").append(DATA).append("`](rfc9293-requirements.tsv) (status, paraphrase, reasons)")
                .append(" and the `@Rfc9293(\"MUST-n\")` tags on tests (`dev.tuntcp.testing.Rfc9293`); do not edit by hand.\n");
        sb.append("Regenerate with `").append(REGENERATE).append("` (that is, `").append(REGENERATE_MVN).append("`);")
                .append(" CI (`Rfc9293ComplianceReportTest`) fails when this file is stale, when a tag names an unknown")
                .append(" identifier, or when a requirement marked covered has no tagged test.\n\n");
        sb.append("The requirement texts below are our own one-line paraphrases; the RFC's wording is authoritative.\n\n");
        renderSummary(sb);
        for (Level level : Level.values()) {
            renderTable(sb, level);
        }
        return sb.toString();
    }

    private void renderSummary(StringBuilder sb) {
        sb.append("## Summary\n\n");
        List<String> statuses = new ArrayList<>();
        for (Status s : Status.values()) {
            statuses.add(s.text);
        }
        sb.append("| level | total | ").append(String.join(" | ", statuses)).append(" |\n");
        sb.append("|---|---:|").append("---:|".repeat(statuses.size())).append('\n');
        for (Level level : Level.values()) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            statuses.forEach(s -> counts.put(s, 0));
            int total = 0;
            for (Rfc9293Requirement r : requirements) {
                if (r.level() == level) {
                    counts.merge(shownStatus(r), 1, Integer::sum);
                    total++;
                }
            }
            sb.append("| ").append(level.keyword).append(" | ").append(total);
            for (String s : statuses) {
                sb.append(" | ").append(counts.get(s));
            }
            sb.append(" |\n");
        }
        sb.append("\n**MUSTs covered: ").append(count(Level.MUST, Status.COVERED.text)).append(" of ")
                .append(count(Level.MUST, null)).append("** (").append(count(Level.MUST, Status.PARTIAL.text))
                .append(" partially, ").append(count(Level.MUST, Status.PENDING.text)).append(" being implemented).\n\n");
        sb.append("Tests marked (kernel) run against the Linux kernel in a network namespace and need CAP_NET_ADMIN")
                .append(" (CI has it).\n\n");
        sb.append("Statuses: **covered**: the tagged tests prove it; **partial**: they prove part of it (the note says")
                .append(" what is missing); **pending**: being implemented now; **not-covered**: not implemented, or")
                .append(" implemented without a proving test; **n/a**: does not apply to this stack.\n\n");
    }

    private int count(Level level, String status) {
        int n = 0;
        for (Rfc9293Requirement r : requirements) {
            if (r.level() == level && (status == null || shownStatus(r).equals(status))) {
                n++;
            }
        }
        return n;
    }

    private void renderTable(StringBuilder sb, Level level) {
        List<Rfc9293Requirement> rows = requirements.stream().filter(r -> r.level() == level)
                .sorted((a, b) -> Integer.compare(a.number(), b.number())).toList();
        if (rows.isEmpty()) {
            return;
        }
        sb.append("## ").append(level.keyword).append("\n\n");
        sb.append("| id | section | requirement (paraphrased) | status | tests, or why not |\n");
        sb.append("|---|---|---|---|---|\n");
        for (Rfc9293Requirement r : rows) {
            sb.append("| ").append(r.id()).append(" | [§").append(r.section()).append("](").append(r.sectionUrl())
                    .append(") | ").append(cell(r.summary())).append(" | ").append(shownStatus(r)).append(" | ")
                    .append(evidence(r)).append(" |\n");
        }
        sb.append('\n');
    }

    private String evidence(Rfc9293Requirement r) {
        List<String> parts = new ArrayList<>();
        for (Tagged t : testsOf(r.id())) {
            parts.add(link(t));
        }
        String tests = String.join("<br>", parts);
        String note = r.note().isEmpty() ? "" : "_" + cell(r.note()) + "_";
        if (!tests.isEmpty() && (r.status() == Status.PENDING || r.status() == Status.NOT_COVERED)) {
            note = "_(" + DATA + " still says " + r.status().text + ": update it)_ " + note;
        }
        if (tests.isEmpty()) {
            return note;
        }
        return note.isEmpty() ? tests : tests + "<br>" + note;
    }

    private String link(Tagged t) {
        String relative = t.topLevelClass().replace('.', '/') + ".java";
        for (String root : SOURCE_ROOTS) {
            if (Files.isRegularFile(projectRoot.resolve(root).resolve(relative))) {
                return "[" + t.displayName() + "](../" + root + "/" + relative + ")" + (t.kernel() ? " (kernel)" : "");
            }
        }
        return "`" + t.displayName() + "`" + (t.kernel() ? " (kernel)" : "");
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }

    /** Counts per shown status for one level (the final report quotes them). */
    Map<String, Integer> counts(Level level) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (Rfc9293Requirement r : requirements) {
            if (r.level() == level) {
                m.merge(shownStatus(r), 1, Integer::sum);
            }
        }
        return m;
    }

    /** Every identifier the data file knows. */
    Set<String> ids() {
        Set<String> s = new LinkedHashSet<>();
        requirements.forEach(r -> s.add(r.id()));
        return s;
    }

    /** The project root: two levels above target/test-classes. */
    static Path projectRoot() {
        return Rfc9293TaggedTests.testClassesRoot().getParent().getParent();
    }

    /** Writes the report for the current tags; args[0] may name another project root. */
    public static void main(String[] args) throws IOException {
        Path root = args.length > 0 ? Path.of(args[0]) : projectRoot();
        Rfc9293Report report = new Rfc9293Report(Rfc9293Requirement.read(root.resolve(DATA)),
                Rfc9293TaggedTests.scan().tagged(), root);
        Files.writeString(root.resolve(REPORT), report.render(), StandardCharsets.UTF_8);
        System.out.println("wrote " + root.resolve(REPORT) + "; MUST " + report.counts(Level.MUST));
    }
}
