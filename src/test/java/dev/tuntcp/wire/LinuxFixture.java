package dev.tuntcp.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A packet captured from the Linux kernel by {@code fixtures/capture.sh}: its bytes and the fields
 * tshark decoded (keys are tshark field names) plus tcpdump's one-line decode.
 */
record LinuxFixture(String name, Properties fields) {
    static final String DIRECTORY = "fixtures/linux";

    static List<LinuxFixture> all() {
        URL dir = LinuxFixture.class.getClassLoader().getResource(DIRECTORY);
        if (dir == null) {
            throw new IllegalStateException("no " + DIRECTORY + " on the test classpath");
        }
        try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
            return files.filter(p -> p.toString().endsWith(".properties")).sorted()
                    .map(LinuxFixture::load).collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static LinuxFixture named(String name) {
        return all().stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no fixture " + name));
    }

    private static LinuxFixture load(Path file) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String fileName = file.getFileName().toString();
        return new LinuxFixture(fileName.substring(0, fileName.length() - ".properties".length()), p);
    }

    /** The role part of the name: {@code 02-syn-ack} → {@code syn-ack}. */
    String role() {
        return name.substring(name.indexOf('-') + 1);
    }

    byte[] bytes() {
        return Hex.bytes(get("hex"));
    }

    /** A heap buffer of the packet; the caller releases it. */
    ByteBuf buffer() {
        return Unpooled.wrappedBuffer(bytes());
    }

    String get(String key) {
        String v = fields.getProperty(key);
        if (v == null) {
            throw new IllegalArgumentException(name + ": no field " + key);
        }
        return v;
    }

    boolean has(String key) {
        return !fields.getProperty(key, "").isEmpty();
    }

    /** A numeric field: decimal, or hex with 0x. */
    long number(String key) {
        String v = get(key);
        return v.startsWith("0x") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v);
    }

    @Override
    public String toString() {
        return name;
    }
}
