package dev.tuntcp.bench;

import dev.tuntcp.wire.InternetChecksum;
import dev.tuntcp.wire.InternetChecksumReference;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.pcap4j.util.ByteArrays;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * RFC 1071 checksum throughput over a pooled direct ByteBuf, as the stack sees packets.
 * Throughput in ops/s; GB/s = ops/s × size / 1e9 (benchmarks/jmh-table.py prints it).
 *
 * <ul>
 *   <li>{@code tuntcp}: {@link InternetChecksum#sum}.</li>
 *   <li>{@code naive}: a byte-pair loop through the ByteBuf API, {@link InternetChecksumReference}.</li>
 *   <li>{@code pcap4j}: pcap4j 1.8.2's own routine, {@code ByteArrays.calcChecksum(byte[])}, which
 *       only takes a whole array, so the bytes are first copied out of the ByteBuf into a
 *       preallocated array of exactly {@code size} bytes (the copy is a memcpy, a small share of the
 *       time).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ChecksumBench {
    @Param({"20", "40", "64", "576", "1500", "9000", "65535"})
    public int size;

    private ByteBuf buf;
    private byte[] array;

    @Setup(Level.Trial)
    public void setUp() {
        buf = PooledByteBufAllocator.DEFAULT.directBuffer(size, size);
        byte[] bytes = new byte[size];
        new SplittableRandom(1071).nextBytes(bytes);
        buf.writeBytes(bytes);
        array = new byte[size];
        if (InternetChecksum.sum(buf, 0, size) != InternetChecksumReference.sum(buf, 0, size)) {
            throw new IllegalStateException("tuntcp and the reference disagree at size " + size);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        buf.release();
    }

    @Benchmark
    public int tuntcp() {
        return InternetChecksum.sum(buf, 0, size);
    }

    @Benchmark
    public int naive() {
        return InternetChecksumReference.sum(buf, 0, size);
    }

    @Benchmark
    public short pcap4j() {
        buf.getBytes(0, array);
        return ByteArrays.calcChecksum(array);
    }
}
