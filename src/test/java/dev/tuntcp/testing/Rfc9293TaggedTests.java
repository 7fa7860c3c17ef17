package dev.tuntcp.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds every test method carrying {@link Rfc9293} by reflection over the compiled test classes
 * (the directory this class was loaded from). Classes are loaded without being initialised, so no
 * test code runs.
 */
final class Rfc9293TaggedTests {

    /** One tagged method: {@code className} is binary (nested classes with {@code $}). */
    record Tagged(String className, String method, List<String> ids) {

        /** {@code Outer.Inner#method}. */
        String displayName() {
            String simple = className.substring(className.lastIndexOf('.') + 1).replace('$', '.');
            return simple + "#" + method;
        }

        /** The top-level class whose source file holds the method. */
        String topLevelClass() {
            int dollar = className.indexOf('$');
            return dollar < 0 ? className : className.substring(0, dollar);
        }
    }

    /** What the scan found, and the classes it could not load (reported, never silently skipped). */
    record Scan(List<Tagged> tagged, List<String> unloadable) {
    }

    private Rfc9293TaggedTests() {
    }

    /** The directory of compiled test classes (target/test-classes). */
    static Path testClassesRoot() {
        try {
            return Path.of(Rfc9293.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Scan scan() {
        Path root = testClassesRoot();
        List<Tagged> found = new ArrayList<>();
        List<String> unloadable = new ArrayList<>();
        ClassLoader loader = Rfc9293.class.getClassLoader();
        try (Stream<Path> files = Files.walk(root)) {
            List<String> names = files.filter(p -> p.toString().endsWith(".class"))
                    .map(p -> root.relativize(p).toString())
                    .filter(n -> !n.equals("module-info.class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace(java.io.File.separatorChar, '.'))
                    .sorted()
                    .toList();
            for (String name : names) {
                Method[] methods;
                try {
                    methods = Class.forName(name, false, loader).getDeclaredMethods();
                } catch (ClassNotFoundException | LinkageError e) {
                    unloadable.add(name + ": " + e);
                    continue;
                }
                for (Method m : methods) {
                    Rfc9293 tag = m.getAnnotation(Rfc9293.class);
                    if (tag != null) {
                        found.add(new Tagged(name, m.getName(), List.of(tag.value())));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        found.sort(Comparator.comparing(Tagged::className).thenComparing(Tagged::method));
        return new Scan(found, unloadable);
    }
}
