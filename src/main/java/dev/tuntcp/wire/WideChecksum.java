package dev.tuntcp.wire;

import java.util.Optional;

/**
 * A SIMD kernel for {@link InternetChecksum}'s address path, present only where the running JDK
 * offers one: the JDK 25 class {@code dev.tuntcp.wire.VectorChecksum} (Vector API, incubating),
 * compiled from {@code src/main/java25} into {@code META-INF/versions/25} of the multi-release jar.
 * On JDK 17, or on JDK 25 without {@code --add-modules jdk.incubator.vector}, {@link #INSTANCE} is
 * null and the scalar loop is used; {@code -Dtuntcp.checksum.vector=false} forces the scalar loop.
 */
interface WideChecksum {
    /** Bytes per block of {@link #sumBlocks}. */
    int BLOCK = 64;

    /** The kernel, or null where there is none; a static final constant the JIT folds. */
    WideChecksum INSTANCE = Loader.load();

    /**
     * The sum of {@code blocks} × 64 bytes at {@code address} taken as little-endian unsigned 32-bit
     * words added into 64-bit accumulators (RFC 1071 §2(B), (C); no carry is lost below 2^31 words),
     * unfolded. The caller has checked the range.
     */
    long sumBlocks(long address, int blocks);

    /** Finds the JDK 25 class when its module is there; never throws. */
    final class Loader {
        private Loader() {
        }

        static WideChecksum load() {
            if (!Boolean.parseBoolean(System.getProperty("tuntcp.checksum.vector", "true"))) {
                return null;
            }
            Optional<Module> vector = ModuleLayer.boot().findModule("jdk.incubator.vector");
            if (vector.isEmpty() || Runtime.version().feature() < 25) {
                return null;
            }
            try {
                return (WideChecksum) Class.forName("dev.tuntcp.wire.VectorChecksum")
                        .getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                return null; // not in this jar or class path (e.g. built without JDK 25): scalar loop
            }
        }
    }
}
