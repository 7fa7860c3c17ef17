package dev.tuntcp.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files under src/test/resources/dev/tuntcp/trace. Set {@code -Dgolden.update=true} to
 * rewrite them after an intended change, then review the diff before committing.
 */
final class Golden {
    private static final Path DIR = Path.of("src/test/resources/dev/tuntcp/trace");

    private Golden() {
    }

    static void assertMatches(String name, String actual) {
        try {
            if (Boolean.getBoolean("golden.update")) {
                Files.createDirectories(DIR);
                Files.writeString(DIR.resolve(name), actual, StandardCharsets.UTF_8);
                return;
            }
            try (InputStream in = Golden.class.getResourceAsStream(name)) {
                assertNotNull(in, "golden file " + name + " missing: run with -Dgolden.update=true and review it");
                assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), actual, "golden file " + name);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
