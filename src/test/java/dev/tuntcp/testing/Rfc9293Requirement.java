package dev.tuntcp.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of {@code docs/rfc9293-requirements.tsv}: an RFC 9293 Appendix B identifier, the section
 * that states it, tuntcp's status, our one-line paraphrase and, for anything not fully covered, why.
 */
record Rfc9293Requirement(String id, Level level, int number, String section, Status status, String summary,
                          String note) {

    /** The RFC 2119 keyword an identifier's prefix stands for, in the order the report lists them. */
    enum Level {
        MUST("MUST"), SHLD("SHOULD"), MAY("MAY"), REC("RECOMMENDED");

        final String keyword;

        Level(String keyword) {
            this.keyword = keyword;
        }
    }

    /** What the data file says about a requirement. */
    enum Status {
        COVERED("covered"), PARTIAL("partial"), PENDING("pending"), NOT_COVERED("not-covered"), NOT_APPLICABLE("n/a");

        final String text;

        Status(String text) {
            this.text = text;
        }

        static Status parse(String s) {
            for (Status st : values()) {
                if (st.text.equals(s)) {
                    return st;
                }
            }
            throw new IllegalArgumentException("unknown status `" + s + "` (use covered, partial, pending, not-covered or n/a)");
        }

        /** Covered and partial claim tests; the others need a note saying why not. */
        boolean claimsTests() {
            return this == COVERED || this == PARTIAL;
        }
    }

    private static final Pattern ID = Pattern.compile("(MUST|SHLD|MAY|REC)-([1-9][0-9]*)");
    private static final Pattern SECTION = Pattern.compile("[1-9][0-9]*(\\.[1-9][0-9]*)*");

    /** The level and number of an identifier such as {@code MUST-10}, or null when it is not one. */
    static Matcher parseId(String id) {
        Matcher m = ID.matcher(id);
        return m.matches() ? m : null;
    }

    /** The RFC's own anchor for the section. */
    String sectionUrl() {
        return "https://www.rfc-editor.org/rfc/rfc9293#section-" + section;
    }

    /**
     * Reads the data file: {@code #} lines are comments, the first other line is the header, every
     * further line has exactly five tab-separated columns.
     *
     * @throws IllegalArgumentException naming the line of the first malformed entry
     */
    static List<Rfc9293Requirement> read(Path tsv) throws IOException {
        List<Rfc9293Requirement> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        boolean header = true;
        int lineNo = 0;
        for (String line : Files.readAllLines(tsv, StandardCharsets.UTF_8)) {
            lineNo++;
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            if (header) {
                header = false;
                continue;
            }
            String[] f = line.split("\t", -1);
            String where = tsv.getFileName() + ":" + lineNo + ": ";
            if (f.length != 5) {
                throw new IllegalArgumentException(where + "expected 5 tab-separated columns, found " + f.length);
            }
            Matcher m = parseId(f[0]);
            if (m == null) {
                throw new IllegalArgumentException(where + "bad identifier `" + f[0] + "`");
            }
            if (!seen.add(f[0])) {
                throw new IllegalArgumentException(where + "duplicate identifier " + f[0]);
            }
            if (!SECTION.matcher(f[1]).matches()) {
                throw new IllegalArgumentException(where + "bad section `" + f[1] + "`");
            }
            Status status;
            try {
                status = Status.parse(f[2]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + e.getMessage(), e);
            }
            if (f[3].isBlank()) {
                throw new IllegalArgumentException(where + "empty summary");
            }
            if (status != Status.COVERED && f[4].isBlank()) {
                throw new IllegalArgumentException(where + f[0] + " is " + status.text + ": the note must say why");
            }
            Level level = Level.valueOf(m.group(1).toUpperCase(Locale.ROOT));
            out.add(new Rfc9293Requirement(f[0], level, Integer.parseInt(m.group(2)), f[1], status, f[3].trim(),
                    f[4].trim()));
        }
        return out;
    }
}
