package dev.tuntcp.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The documentation points at things that exist: every figure and relative link in README.md and
 * docs/*.md resolves to a file, and every source file the architecture page names (the packet's
 * path) is still there — so a rename in the code fails the build until the page follows.
 */
class DocsReferencesTest {
    private static final Path ROOT = Path.of("").toAbsolutePath();
    /** {@code ![alt](path)}, {@code [text](path)} and {@code <img src="path">}. */
    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)\\)|<img[^>]*\\ssrc=\"([^\"]+)\"");
    /** A source file named in backticks, relative to src/main/java/dev/tuntcp/ or from the root. */
    private static final Pattern SOURCE = Pattern.compile("`((?:src/[\\w/.-]+|[a-z]+/[A-Z]\\w*)\\.java)`");

    static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>();
        pages.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** Relative link targets of {@code page} (no scheme, no pure #anchor), without their #anchor. */
    static List<String> relativeTargets(String markdown) {
        List<String> out = new ArrayList<>();
        Matcher m = LINK.matcher(stripCode(markdown));
        while (m.find()) {
            String target = m.group(1) != null ? m.group(1) : m.group(2);
            if (target.matches("^[a-z][a-z0-9+.-]*:.*") || target.startsWith("#")) {
                continue; // http:, https:, mailto:, or an anchor in the same page
            }
            int hash = target.indexOf('#');
            out.add(hash < 0 ? target : target.substring(0, hash));
        }
        return out;
    }

    /** Fenced code blocks hold terminal output, not links. */
    private static String stripCode(String markdown) {
        return markdown.replaceAll("(?s)```.*?```", "");
    }

    @Test
    void everyFigureAndRelativeLinkResolves() throws IOException {
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (Path page : pages()) {
            for (String target : relativeTargets(Files.readString(page))) {
                checked++;
                if (!Files.exists(page.getParent().resolve(target).normalize())) {
                    missing.add(ROOT.relativize(page) + " → " + target);
                }
            }
        }
        assertTrue(checked >= 3, "found the links: " + checked);
        assertTrue(missing.isEmpty(), "broken references:\n" + String.join("\n", missing));
    }

    /** GitHub's anchor of a heading: lower case, punctuation dropped (letters of any script kept), spaces to '-'. */
    static String slug(String heading) {
        StringBuilder out = new StringBuilder();
        heading.strip().toLowerCase(java.util.Locale.ROOT).codePoints().forEach(c -> {
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                out.appendCodePoint(c);
            } else if (c == ' ') {
                out.append('-');
            }
        });
        return out.toString();
    }

    static List<String> anchors(String markdown) {
        List<String> out = new ArrayList<>();
        for (String line : stripCode(markdown).split("\\n")) {
            if (line.startsWith("#")) {
                out.add(slug(line.replaceFirst("^#+ ", "").replace("`", "")));
            }
        }
        return out;
    }

    @Test
    void everyAnchorPointsAtAHeading() throws IOException {
        List<String> missing = new ArrayList<>();
        Pattern link = Pattern.compile("\\]\\(([^)\\s#]*)#([^)\\s]+)\\)");
        for (Path page : pages()) {
            Matcher m = link.matcher(stripCode(Files.readString(page)));
            while (m.find()) {
                Path target = m.group(1).isEmpty() ? page : page.getParent().resolve(m.group(1)).normalize();
                if (Files.exists(target) && target.toString().endsWith(".md")
                        && !anchors(Files.readString(target)).contains(m.group(2))) {
                    missing.add(ROOT.relativize(page) + " → " + m.group(1) + "#" + m.group(2));
                }
            }
        }
        assertTrue(missing.isEmpty(), "anchors without a heading:\n" + String.join("\n", missing));
        assertTrue(slug("10. ACK 与 FIN：分开发还是合并发").equals("10-ack-与-fin分开发还是合并发"));
        assertTrue(slug("4. Command-line contract (users rely on it)").equals("4-command-line-contract-users-rely-on-it"));
    }

    @Test
    void everySourceFileTheArchitecturePageNamesExists() throws IOException {
        String page = Files.readString(ROOT.resolve("docs/architecture.md"));
        Matcher m = SOURCE.matcher(page);
        List<String> missing = new ArrayList<>();
        int checked = 0;
        while (m.find()) {
            String name = m.group(1);
            Path file = name.startsWith("src/") ? ROOT.resolve(name) : ROOT.resolve("src/main/java/dev/tuntcp").resolve(name);
            checked++;
            if (!Files.exists(file)) {
                missing.add(name);
            }
        }
        assertTrue(checked >= 30, "the packet's path names its files: " + checked);
        assertTrue(missing.isEmpty(), "docs/architecture.md names files that do not exist: " + missing);
    }

    @Test
    void linkExtractionSkipsUrlsAnchorsAndCode() {
        assertTrue(relativeTargets("see [a](https://x.org) and [b](#top) and ```\n[c](nope.md)\n```").isEmpty());
        assertTrue(relativeTargets("![ladder](img/a.svg) <img src=\"img/b.svg\" width=\"9\"> [p](x.md#s)")
                .equals(List.of("img/a.svg", "img/b.svg", "x.md")));
    }
}
