package dev.tuntcp.bench;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * JMH profiler ({@code -prof dev.tuntcp.bench.CpuTimeProfiler}) that reports the CPU time the
 * benchmark's worker threads spent per operation, {@code cpu.ns/op}.
 *
 * <p>Why: JMH's primary score is wall-clock time. On a machine shared with other work (this
 * project's helpers build and test on the same two cores), a benchmark thread waits for a core
 * and the wall-clock figure measures the queue as much as the code. The thread's CPU time counts
 * only the time it actually ran (context switches still cost it some cache warmth), so it stays
 * close to the quiet-machine figure. On a quiet machine the two agree.
 *
 * <p>It divides the workers' CPU time over the iteration by every operation they ran in it
 * ({@code allOps}, which includes the few JMH runs outside the timed window).
 */
public final class CpuTimeProfiler implements InternalProfiler {
    private static final String WORKER = "-jmh-worker-";
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> cpuAtStart = new HashMap<>();

    @Override
    public String getDescription() {
        return "CPU time of the benchmark threads per operation (robust on a shared machine)";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        cpuAtStart.clear();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().contains(WORKER)) {
                cpuAtStart.put(info.getThreadId(), threads.getThreadCpuTime(info.getThreadId()));
            }
        }
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
                                                       IterationParams iterationParams,
                                                       IterationResult result) {
        long cpu = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().contains(WORKER)) {
                long now = threads.getThreadCpuTime(info.getThreadId());
                if (now >= 0) {
                    cpu += now - cpuAtStart.getOrDefault(info.getThreadId(), 0L); // a new worker started at 0
                }
            }
        }
        long ops = result.getMetadata().getAllOps();
        if (ops <= 0 || cpu <= 0) {
            return List.of();
        }
        return List.of(new ScalarResult("cpu.ns/op", (double) cpu / ops, "ns/op", AggregationPolicy.AVG));
    }
}
