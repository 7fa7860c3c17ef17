package dev.tuntcp.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a kernel integration test (a class or a method): it runs only with CAP_NET_ADMIN and
 * CAP_SYS_ADMIN, is skipped loudly otherwise, and fails instead of skipping when {@code CI=true} or
 * {@code TUNTCP_REQUIRE_TUN=1} (see {@link KernelTestPolicy}). A parameter of type
 * {@link TestNamespace} receives a fresh network namespace that is deleted after the test, pass or
 * fail:
 *
 * <pre>{@code
 * @KernelTest
 * class PingTest {
 *     @Test
 *     void answersPing(TestNamespace ns) throws Exception {
 *         TunDevice tun = ns.call(() -> TunDevice.open("tt0", counters)); // opened inside ns
 *         ns.execOk("ping", "-c", "1", "10.13.0.2");
 *     }
 * }
 * }</pre>
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("kernel")
@ExtendWith(NetnsExtension.class)
public @interface KernelTest {
}
