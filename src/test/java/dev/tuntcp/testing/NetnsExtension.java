package dev.tuntcp.testing;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit 5 side of {@link KernelTest}: evaluates {@link KernelTestPolicy} (skip loudly, or fail
 * under CI), and resolves {@link TestNamespace} parameters. Each namespace lives in the test's
 * extension store, which JUnit closes after the test whether it passed or not; a JVM shutdown hook
 * in {@link TestNamespace} catches what an aborted run leaves.
 */
public final class NetnsExtension implements ExecutionCondition, BeforeEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(NetnsExtension.class);

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        KernelTestPolicy.Verdict verdict = KernelTestPolicy.decide(System.getenv(), KernelTestPolicy.probeHost());
        if (verdict.decision() == KernelTestPolicy.Decision.SKIP) {
            String where = context.getDisplayName();
            System.err.println("!!!! " + where + ": " + verdict.reason());
            return ConditionEvaluationResult.disabled(verdict.reason());
        }
        return ConditionEvaluationResult.enabled("kernel tests may run");
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        KernelTestPolicy.Verdict verdict = KernelTestPolicy.decide(System.getenv(), KernelTestPolicy.probeHost());
        if (verdict.decision() == KernelTestPolicy.Decision.FAIL) {
            throw new AssertionError(verdict.reason());
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestNamespace.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        KernelTestPolicy.Verdict verdict = KernelTestPolicy.decide(System.getenv(), KernelTestPolicy.probeHost());
        if (verdict.decision() != KernelTestPolicy.Decision.RUN) {
            throw new ParameterResolutionException(verdict.reason());
        }
        // One namespace per parameter; the store closes it (deleting the namespace) after the test.
        String key = "ns-" + parameter.getIndex();
        return context.getStore(STORE).getOrComputeIfAbsent(key, k -> TestNamespace.create(), TestNamespace.class);
    }
}
