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

    /**
     * One tagged method: {@code className} is binary (nested classes with {@code $}); {@code kernel}
     * when it is a {@link KernelTest} (it needs CAP_NET_ADMIN and is skipped without it).
     */
    record Tagged(String className, String method, List<String> ids, boolean kernel) {

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
                Class<?> type;
                Method[] methods;
                try {
                    type = Class.forName(name, false, loader);
                    methods = type.getDeclaredMethods();
                } catch (ClassNotFoundException | LinkageError e) {
                    unloadable.add(name + ": " + e);
                    continue;
                }
                for (Method m : methods) {
                    Rfc9293 tag = m.getAnnotation(Rfc9293.class);
                    if (tag != null) {
                        boolean kernel = m.isAnnotationPresent(KernelTest.class) || isKernelClass(type);
                        found.add(new Tagged(name, m.getName(), List.of(tag.value()), kernel));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        found.sort(Comparator.comparing(Tagged::className).thenComparing(Tagged::method));
        return new Scan(found, unloadable);
    }

    private static boolean isKernelClass(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
            if (c.isAnnotationPresent(KernelTest.class)) {
                return true;
            }
        }
        return false;
    }
}
