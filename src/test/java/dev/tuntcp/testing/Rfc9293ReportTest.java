package dev.tuntcp.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.testing.Rfc9293TaggedTests.Tagged;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compliance report's parts on small fixtures: the data file's rules and how rows are rendered. */
class Rfc9293ReportTest {
    private static final String HEADER = "# a comment\nid\tsection\tstatus\tsummary\tnote\n";

    private static List<Rfc9293Requirement> read(Path dir, String body) throws IOException {
        Path tsv = dir.resolve("r.tsv");
        Files.writeString(tsv, HEADER + body);
        return Rfc9293Requirement.read(tsv);
    }

    @Test
    void malformedLinesAreRejectedWithTheirLineNumber(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> read(dir, "MUST-1\t3.1\tcovered\tsummary\n"));
        assertTrue(e.getMessage().contains("r.tsv:3") && e.getMessage().contains("5 tab-separated"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> read(dir, "MUSTY-1\t3.1\tcovered\ts\t\n"));
        assertThrows(IllegalArgumentException.class, () -> read(dir, "MUST-1\tthree\tcovered\ts\t\n"));
        assertThrows(IllegalArgumentException.class, () -> read(dir, "MUST-1\t3.1\tdone\ts\t\n"));
        assertThrows(IllegalArgumentException.class, () -> read(dir, "MUST-1\t3.1\tcovered\ts\t\nMUST-1\t3.1\tcovered\ts\t\n"));
        e = assertThrows(IllegalArgumentException.class, () -> read(dir, "MUST-2\t3.1\tnot-covered\ts\t\n"));
        assertTrue(e.getMessage().contains("must say why"), e.getMessage());
    }

    @Test
    void rowsLinkTheirTestsAndCountsFollowTheShownStatus(@TempDir Path dir) throws IOException {
        List<Rfc9293Requirement> reqs = read(dir, """
                MUST-2\t3.1\tcovered\tChecksum out.\t
                MUST-1\t3.1\tpending\tWindow unsigned.\tSomeone is on it.
                MUST-3\t3.1\tn/a\tChecksum in.\tNot here.
                SHLD-1\t3.4.1\tnot-covered\tPRF.\tNo | pipe.
                """);
        Files.createDirectories(dir.resolve("src/test/java/dev/x"));
        Files.writeString(dir.resolve("src/test/java/dev/x/ATest.java"), "");
        List<Tagged> tagged = List.of(new Tagged("dev.x.ATest", "one", List.of("MUST-1", "MUST-2"), false),
                new Tagged("dev.x.ATest$Inner", "two", List.of("MUST-2"), true),
                new Tagged("dev.y.Gone", "three", List.of("MUST-2"), false));
        String md = new Rfc9293Report(reqs, tagged, dir).render();
        // identifier order, not file order
        assertTrue(md.indexOf("| MUST-1 |") < md.indexOf("| MUST-2 |"), md);
        assertTrue(md.contains("| MUST-2 | [§3.1](https://www.rfc-editor.org/rfc/rfc9293#section-3.1) | Checksum out. | covered | "
                + "[ATest#one](../src/test/java/dev/x/ATest.java)<br>[ATest.Inner#two](../src/test/java/dev/x/ATest.java) (kernel)"
                + "<br>`Gone#three` |"), md);
        // a pending line with a tagged test is shown covered, with a reminder to update the data file
        assertTrue(md.contains("| MUST-1 | [§3.1](https://www.rfc-editor.org/rfc/rfc9293#section-3.1) | Window unsigned. | covered | "
                + "[ATest#one](../src/test/java/dev/x/ATest.java)<br>_(docs/rfc9293-requirements.tsv still says pending: update it)_"
                + " _Someone is on it._ |"), md);
        assertTrue(md.contains("| MUST-3 | [§3.1](https://www.rfc-editor.org/rfc/rfc9293#section-3.1) | Checksum in. | n/a | _Not here._ |"), md);
        assertTrue(md.contains("_No \\| pipe._"), "pipes are escaped in cells");
        assertTrue(md.contains("| MUST | 3 | 2 | 0 | 0 | 0 | 1 |"), md);
        assertTrue(md.contains("| SHOULD | 1 | 0 | 0 | 0 | 1 | 0 |"), md);
        assertTrue(md.contains("**MUSTs covered: 2 of 3**"), md);
        assertEquals(List.of(), new Rfc9293Report(reqs, tagged, dir).testsOf("SHLD-1"));
    }
}
