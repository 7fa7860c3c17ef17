package dev.tuntcp.testing;

import dev.tuntcp.link.Netns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;

/**
 * Tests that read their results back with an external tool (tshark, tcpdump, curl …) call
 * {@link #require}: a missing tool skips the test loudly, or fails it under {@code CI=true} /
 * {@code TUNTCP_REQUIRE_TUN=1}, where .ci/run installs every tool the tests need.
 */
public final class RequiredTools {
    private RequiredTools() {
    }

    /** The Python that scapy-based tests run (Debian's python3-scapy installs into it). */
    public static final String PYTHON = "/usr/bin/python3";

    public static void require(String tool, String debianPackage) {
        if (onPath(tool)) {
            return;
        }
        skipOrFail("needs " + tool + " (apt-get install " + debianPackage + ")");
    }

    /** Tests that write packets with scapy: {@link #PYTHON} must import it. */
    public static void requireScapy() {
        Netns.ExecResult r = Netns.run(Duration.ofSeconds(30), PYTHON, "-c", "import scapy.all");
        if (!r.ok()) {
            skipOrFail("needs scapy for " + PYTHON + " (apt-get install python3-scapy): " + r.describe());
        }
    }

    private static void skipOrFail(String why) {
        String ci = System.getenv().getOrDefault("CI", "");
        String required = System.getenv().getOrDefault("TUNTCP_REQUIRE_TUN", "");
        if ("true".equalsIgnoreCase(ci.strip()) || "1".equals(required.strip())) {
            throw new AssertionError(why + " — and CI=true or TUNTCP_REQUIRE_TUN=1 forbids skipping");
        }
        System.err.println("!!!! SKIPPED: test " + why);
        Assumptions.abort("SKIPPED: test " + why);
    }

    public static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/bin:/sbin:/bin";
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
