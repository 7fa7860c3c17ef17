package dev.tuntcp.leak;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Installs the {@link LeakRecorder} when the JUnit Platform starts (before any test class, and so
 * before Netty's buffer classes, load) and runs a last leak scan when the whole plan has finished,
 * which also catches leaks from jqwik properties. Registered through META-INF/services.
 */
public final class LeakCheckingSession implements LauncherSessionListener, TestExecutionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        LeakRecorder.install();
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        LeakRecorder.collectAndScan();
        int leaks = LeakRecorder.leakCount();
        if (leaks > 0) {
            System.err.printf("%n%d ByteBuf leak(s) detected; see %s — the build fails on them.%n",
                    leaks, LeakRecorder.REPORT_FILE);
        }
    }
}
