package dev.tuntcp.testing;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * The java command line that runs tuntcp's {@code Main} in a child JVM from the test class path, with
 * the flags the running JDK needs (as native-setup/jvm-flags.sh gives the launcher): tests that
 * start {@code serve} or {@code connect} as real processes share it.
 */
public final class TuntcpJvm {
    private TuntcpJvm() {
    }

    /** {@code java <flags> -cp <runtime class path> dev.tuntcp.cli.Main args…}; {@code jvmOptions} go before -cp. */
    public static List<String> command(List<String> jvmOptions, String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(ProcessHandle.current().info().command().orElse("java"));
        argv.add("-Dio.netty.tryReflectionSetAccessible=true");
        argv.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
        argv.add("--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED");
        if (Runtime.version().feature() >= 22) {
            argv.add("--enable-native-access=ALL-UNNAMED");
        }
        if (Runtime.version().feature() >= 24) {
            argv.add("--sun-misc-unsafe-memory-access=allow"); // Netty's fast path, and no Unsafe warning on stderr
        }
        argv.addAll(jvmOptions);
        argv.add("-cp");
        argv.add(runtimeClassPath());
        argv.add("dev.tuntcp.cli.Main");
        argv.addAll(List.of(args));
        return argv;
    }

    /** The main classes and runtime dependencies only (the test class path's SLF4J would chatter on stderr). */
    static String runtimeClassPath() {
        List<String> keep = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String e = entry.replace('\\', '/');
            if (e.endsWith("/target/classes") || e.contains("/io/netty/") || e.contains("/net/java/dev/jna/")
                    || e.contains("/info/picocli/")) {
                keep.add(entry);
            }
        }
        return String.join(File.pathSeparator, keep);
    }
}
