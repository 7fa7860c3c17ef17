package dev.tuntcp.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decides whether a kernel integration test runs, is skipped (loudly) or fails: tests that need a
 * TUN device or a network namespace run with the privileges for it; without them they are skipped,
 * unless {@code CI=true} or {@code TUNTCP_REQUIRE_TUN=1}, where a skip would hide that nothing was
 * tested, so they fail.
 */
public final class KernelTestPolicy {
    /** CAP_NET_ADMIN (linux/capability.h): TUN devices, addresses, links. */
    static final int CAP_NET_ADMIN = 12;
    /** CAP_SYS_ADMIN: creating and entering network namespaces (unshare/setns, the netns bind mount). */
    static final int CAP_SYS_ADMIN = 21;

    private KernelTestPolicy() {
    }

    public enum Decision { RUN, SKIP, FAIL }

    /** The verdict and, unless RUN, why (what is missing and how to fix it). */
    public record Verdict(Decision decision, String reason) {
    }

    /** What the host offers; {@link #probeHost()} fills it from the running process. */
    public record Probe(boolean netAdmin, boolean sysAdmin, boolean iproute2, boolean tunDevice) {
        List<String> missing() {
            List<String> m = new ArrayList<>();
            if (!netAdmin) {
                m.add("CAP_NET_ADMIN (run the tests as root)");
            }
            if (!sysAdmin) {
                m.add("CAP_SYS_ADMIN (needed for network namespaces; run as root)");
            }
            if (!iproute2) {
                m.add("iproute2 (apt-get install iproute2)");
            }
            if (!tunDevice) {
                m.add("/dev/net/tun (modprobe tun)");
            }
            return m;
        }
    }

    /** The decision for an environment and a probe; pure, so it is unit-tested. */
    public static Verdict decide(Map<String, String> env, Probe probe) {
        List<String> missing = probe.missing();
        if (missing.isEmpty()) {
            return new Verdict(Decision.RUN, "");
        }
        String what = "kernel integration test needs " + String.join(", ", missing);
        boolean required = "true".equalsIgnoreCase(env.getOrDefault("CI", "").strip())
                || "1".equals(env.getOrDefault("TUNTCP_REQUIRE_TUN", "").strip());
        if (required) {
            return new Verdict(Decision.FAIL, what + " — and CI=true or TUNTCP_REQUIRE_TUN=1 forbids skipping it");
        }
        return new Verdict(Decision.SKIP, "SKIPPED: " + what
                + " (set CI=true or TUNTCP_REQUIRE_TUN=1 to make this a failure)");
    }

    private static volatile Probe cachedProbe;

    /** The probe of this JVM (computed once). */
    public static Probe probeHost() {
        Probe p = cachedProbe;
        if (p == null) {
            long capEff = effectiveCapabilities(readStatus());
            p = new Probe(hasCapability(capEff, CAP_NET_ADMIN), hasCapability(capEff, CAP_SYS_ADMIN),
                    onPath("ip"), Files.exists(Path.of("/dev/net/tun")));
            cachedProbe = p;
        }
        return p;
    }

    /** The CapEff mask from /proc/self/status text, or 0 when absent. */
    static long effectiveCapabilities(String procStatus) {
        for (String line : procStatus.split("\n")) {
            if (line.startsWith("CapEff:")) {
                return Long.parseUnsignedLong(line.substring("CapEff:".length()).strip(), 16);
            }
        }
        return 0;
    }

    static boolean hasCapability(long mask, int capability) {
        return (mask >>> capability & 1) != 0;
    }

    private static String readStatus() {
        try {
            return Files.readString(Path.of("/proc/self/status"));
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : (path + ":/usr/sbin:/sbin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
