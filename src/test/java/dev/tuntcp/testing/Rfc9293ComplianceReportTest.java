package dev.tuntcp.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tuntcp.testing.Rfc9293Requirement.Level;
import dev.tuntcp.testing.Rfc9293Requirement.Status;
import dev.tuntcp.testing.Rfc9293TaggedTests.Tagged;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CI gate of the RFC 9293 compliance table (issue 6 item 4): regenerates the report in memory from
 * {@code docs/rfc9293-requirements.tsv} and the {@link Rfc9293} tags, and fails when a tag names an
 * identifier RFC 9293 does not have, when the committed {@code docs/rfc9293-compliance.md} differs,
 * or when a requirement marked covered (or partial) has no tagged test. With
 * {@code -Dtuntcp.regenerate=true} it writes the report instead of comparing it.
 */
class Rfc9293ComplianceReportTest {
    /** How many identifiers of each kind RFC 9293 Appendix B numbers. */
    private static final Map<Level, Integer> RFC_COUNTS = Map.of(Level.MUST, 69, Level.SHLD, 31, Level.MAY, 18,
            Level.REC, 1);

    private static Path root;
    private static List<Rfc9293Requirement> requirements;
    private static Rfc9293TaggedTests.Scan scan;
    private static Rfc9293Report report;

    @BeforeAll
    static void load() throws IOException {
        root = Rfc9293Report.projectRoot();
        requirements = Rfc9293Requirement.read(root.resolve(Rfc9293Report.DATA));
        scan = Rfc9293TaggedTests.scan();
        report = new Rfc9293Report(requirements, scan.tagged(), root);
    }

    @Test
    void theDataFileListsEveryIdentifierOfAppendixBOnce() {
        for (Map.Entry<Level, Integer> e : RFC_COUNTS.entrySet()) {
            for (int n = 1; n <= e.getValue(); n++) {
                String id = e.getKey().name() + "-" + n;
                assertTrue(report.ids().contains(id), id + " is missing from " + Rfc9293Report.DATA);
            }
        }
        assertEquals(RFC_COUNTS.values().stream().mapToInt(Integer::intValue).sum(), requirements.size(),
                Rfc9293Report.DATA + " has identifiers RFC 9293 does not number");
    }

    @Test
    void everyTestClassCouldBeScanned() {
        assertEquals(List.of(), scan.unloadable(), "test classes the tag scan could not load");
    }

    @Test
    void everyTagNamesAnRfc9293Requirement() {
        Set<String> known = report.ids();
        List<String> bad = new ArrayList<>();
        for (Tagged t : scan.tagged()) {
            if (t.ids().isEmpty()) {
                bad.add(t.displayName() + " has an empty @Rfc9293");
            }
            for (String id : t.ids()) {
                if (Rfc9293Requirement.parseId(id) == null || !known.contains(id)) {
                    bad.add(t.displayName() + " names `" + id + "`, which is not an RFC 9293 requirement identifier"
                            + " (MUST-1..69, SHLD-1..31, MAY-1..18, REC-1)");
                }
            }
        }
        if (!bad.isEmpty()) {
            fail(String.join("\n", bad));
        }
    }

    @Test
    void everyRequirementMarkedCoveredHasATaggedTest() {
        List<String> missing = new ArrayList<>();
        for (Rfc9293Requirement r : requirements) {
            if (r.status().claimsTests() && report.testsOf(r.id()).isEmpty()) {
                missing.add(r.id() + " is marked " + r.status().text + " in " + Rfc9293Report.DATA
                        + " but a tagged test is missing: tag the test that proves it with @Rfc9293(\"" + r.id()
                        + "\") or change its status");
            }
        }
        if (!missing.isEmpty()) {
            fail(String.join("\n", missing));
        }
    }

    @Test
    void nothingNotApplicableIsTagged() {
        List<String> wrong = new ArrayList<>();
        for (Rfc9293Requirement r : requirements) {
            if (r.status() == Status.NOT_APPLICABLE && !report.testsOf(r.id()).isEmpty()) {
                wrong.add(r.id() + " is n/a in " + Rfc9293Report.DATA + " yet tagged on " + report.testsOf(r.id()));
            }
        }
        if (!wrong.isEmpty()) {
            fail(String.join("\n", wrong));
        }
    }

    @Test
    void theCommittedReportIsUpToDate() throws IOException {
        String fresh = report.render();
        Path file = root.resolve(Rfc9293Report.REPORT);
        if (Boolean.getBoolean("tuntcp.regenerate")) {
            Files.writeString(file, fresh, StandardCharsets.UTF_8);
            System.out.println("tuntcp: wrote " + file + "; MUSTs " + report.counts(Level.MUST));
            return;
        }
        String committed = Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        if (!committed.equals(fresh)) {
            fail(Rfc9293Report.REPORT + " is stale (tags or " + Rfc9293Report.DATA + " changed): regenerate it with `"
                    + Rfc9293Report.REGENERATE + "` (or `" + Rfc9293Report.REGENERATE_MVN + "`) and commit it. "
                    + firstDifference(committed, fresh));
        }
    }

    private static String firstDifference(String committed, String fresh) {
        String[] a = committed.split("\n", -1);
        String[] b = fresh.split("\n", -1);
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String x = i < a.length ? a[i] : "<end of file>";
            String y = i < b.length ? b[i] : "<end of file>";
            if (!x.equals(y)) {
                return "First difference at line " + (i + 1) + ":\n  committed: " + x + "\n  expected:  " + y;
            }
        }
        return "";
    }
}
