package dev.tuntcp.leak;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails the JUnit Jupiter test class during which a ByteBuf leak was reported, so the leak is
 * attributed to the class that caused it. Auto-registered for every class
 * (junit.jupiter.extensions.autodetection.enabled).
 */
public final class LeakCheckExtension implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(LeakCheckExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        LeakRecorder.install();
        context.getStore(NAMESPACE).put("start", LeakRecorder.leakCount());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        LeakRecorder.collectAndScan();
        int start = context.getStore(NAMESPACE).get("start", Integer.class);
        List<String> leaks = LeakRecorder.leaksSince(start);
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " ByteBuf leak(s) while running "
                    + context.getDisplayName() + ":\n" + String.join("\n\n", leaks));
        }
    }
}
