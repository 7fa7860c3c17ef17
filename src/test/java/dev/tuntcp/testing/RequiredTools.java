package dev.tuntcp.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Tests that read their results back with an external tool (tshark, tcpdump, curl …) call
 * {@link #require}: a missing tool skips the test loudly, or fails it under {@code CI=true} /
 * {@code TUNTCP_REQUIRE_TUN=1}, where .ci/run installs every tool the tests need.
 */
public final class RequiredTools {
    private RequiredTools() {
    }

    public static void require(String tool, String debianPackage) {
        if (onPath(tool)) {
            return;
        }
        String why = "needs " + tool + " (apt-get install " + debianPackage + ")";
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
