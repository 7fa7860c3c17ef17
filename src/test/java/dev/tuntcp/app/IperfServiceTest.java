package dev.tuntcp.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.socket.RealTcpPair;
import dev.tuntcp.socket.TcpSocket;
import dev.tuntcp.stack.Counters;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The iperf3 service on the real TCP state machine (two TcpLayers back to back), against a scripted
 * client that speaks iperf3's exchange message by message: the happy paths in each direction, and
 * every way a client can get it wrong — each answered, none a hang.
 */
@Timeout(60)
class IperfServiceTest {
    private static final String TCP = "\"tcp\":true,\"omit\":0,\"time\":10,\"num\":0,\"blockcount\":0,";
    private final Counters counters = new Counters();
    private final AtomicLong clockOffset = new AtomicLong();
    private RealTcpPair pair;

    @BeforeEach
    void start() throws Exception {
        pair = new RealTcpPair(256 * 1024, 256 * 1024);
        pair.onLoop(() -> {
            try {
                pair.serverStack.listen(IperfService.PORT,
                        new IperfService(counters, () -> System.nanoTime() + clockOffset.get()));
            } catch (java.net.BindException e) {
                throw new AssertionError(e);
            }
        });
    }

    @AfterEach
    void stop() throws Exception {
        assertTrue(pair.awaitOnLoop(pair::noConnectionsLeft, 10_000), "connections left open");
        assertEquals(0, counter(ServiceCounter.INTERNAL_ERRORS));
        pair.close();
        assertEquals(0, pair.allocator.metric().usedHeapMemory(), "TCP buffers not released");
    }

    private long counter(Enum<?> c) throws InterruptedException {
        long[] v = new long[1];
        pair.onLoop(() -> v[0] = counters.get(c));
        return v[0];
    }

    private void awaitCounter(Enum<?> c, long atLeast) throws InterruptedException {
        assertTrue(pair.awaitOnLoop(() -> counters.get(c) >= atLeast, 20_000), c + " reached " + atLeast);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> streams(Map<String, Object> results) {
        return (List<Map<String, Object>>) results.get("streams");
    }

    private static long number(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).longValue();
    }

    private static long readFor(InputStream in, long limit) throws IOException {
        return readFor(in, limit, new AtomicLong());
    }

    /** Reads up to {@code limit} bytes or to EOF, adding each read to {@code progress} (and notifying it). */
    private static long readFor(InputStream in, long limit, AtomicLong progress) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        while (total < limit) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - total));
            if (n < 0) {
                break;
            }
            total += n;
            progress.addAndGet(n);
            synchronized (progress) {
                progress.notifyAll();
            }
        }
        return total;
    }

    @Test
    void clientSendsAndTheServerReportsEveryByteItReceived() throws Exception {
        try (IperfTestClient c = new IperfTestClient(pair.clientStack, "forward")) {
            c.negotiate("{" + TCP + "\"parallel\":1,\"len\":131072,\"pacing_timer\":1000,\"client_version\":\"3.12\"}");
            c.openStreams(1);
            OutputStream data = c.streams.get(0).getOutputStream();
            byte[] block = new byte[131072];
            for (int i = 0; i < 24; i++) {
                data.write(block);
            }
            long sent = 24L * block.length;
            awaitCounter(IperfCounter.BYTES_RECEIVED, sent);
            Map<String, Object> results = c.finish();
            assertEquals(-1, number(results, "sender_has_retransmits"), "the server only received");
            List<Map<String, Object>> s = streams(results);
            assertEquals(1, s.size());
            assertEquals(1, number(s.get(0), "id"));
            assertEquals(sent, number(s.get(0), "bytes"));
            assertEquals(0, number(s.get(0), "start_time"));
            assertTrue(((Number) s.get(0).get("end_time")).doubleValue() > 0);
            for (String key : List.of("retransmits", "jitter", "errors", "packets", "cpu_util_total")) {
                assertTrue(s.get(0).containsKey(key) || results.containsKey(key), key);
            }
        }
        assertEquals(1, counter(IperfCounter.TESTS_COMPLETED));
    }

    @Test
    void bytesOfTheOmittedSecondsAreLeftOutOfTheResult() throws Exception {
        try (IperfTestClient c = new IperfTestClient(pair.clientStack, "omit")) {
            c.negotiate("{\"tcp\":true,\"omit\":1,\"time\":2,\"parallel\":1,\"len\":131072}");
            c.openStreams(1);
            OutputStream data = c.streams.get(0).getOutputStream();
            data.write(new byte[70_000]);
            awaitCounter(IperfCounter.BYTES_RECEIVED, 70_000);
            clockOffset.addAndGet(1_500_000_000L); // past the omitted second
            data.write(new byte[30_000]);
            awaitCounter(IperfCounter.BYTES_RECEIVED, 100_000);
            Map<String, Object> results = c.finish();
            assertEquals(30_000, number(streams(results).get(0), "bytes"), "only what came after --omit");
        }
    }

    @Test
    void reverseWithTwoStreamsSendsExactlyTheByteBudgetNumberedLikeIperf3() throws Exception {
        long budget = 1_000_000;
        try (IperfTestClient c = new IperfTestClient(pair.clientStack, "reverse")) {
            c.negotiate("{\"tcp\":true,\"omit\":0,\"time\":0,\"num\":" + budget + ",\"blockcount\":0,\"parallel\":2,"
                    + "\"reverse\":true,\"len\":131072,\"client_version\":\"3.12\"}");
            c.openStreams(2);
            // Both streams share the budget: read each on its own thread until the server closes it.
            AtomicLong got = new AtomicLong();
            ExecutorService readers = Executors.newFixedThreadPool(2);
            List<Future<Long>> perStream = new ArrayList<>();
            for (TcpSocket s : c.streams) {
                perStream.add(readers.submit(() -> {
                    long n = readFor(s.getInputStream(), Long.MAX_VALUE, got);
                    return n;
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (got.get() < budget && System.nanoTime() < deadline) {
                synchronized (got) {
                    got.wait(100); // woken by each read
                }
            }
            assertEquals(budget, got.get());
            Map<String, Object> results = c.finish();
            readers.shutdown();
            long[] each = {perStream.get(0).get(10, TimeUnit.SECONDS), perStream.get(1).get(10, TimeUnit.SECONDS)};
            assertEquals(budget, each[0] + each[1], "nothing after the budget");
            assertEquals(0, number(results, "sender_has_retransmits"));
            List<Map<String, Object>> s = streams(results);
            assertEquals(List.of(1L, 3L), s.stream().map(m -> number(m, "id")).toList(), "iperf_add_stream ids");
            assertEquals(budget, s.stream().mapToLong(m -> number(m, "bytes")).sum());
        }
        assertEquals(budget, counter(IperfCounter.BYTES_SENT));
    }

    @Test
    void bidirectionalReceivesOnTheFirstStreamsAndSendsOnTheRest() throws Exception {
        try (IperfTestClient c = new IperfTestClient(pair.clientStack, "bidir")) {
            c.negotiate("{" + TCP + "\"parallel\":1,\"bidirectional\":true,\"len\":1000,\"get_server_output\":1}");
            c.openStreams(2);
            c.streams.get(0).getOutputStream().write(new byte[50_000]);
            assertEquals(100_000, readFor(c.streams.get(1).getInputStream(), 100_000), "the server sends on #2");
            awaitCounter(IperfCounter.BYTES_RECEIVED, 50_000);
            Map<String, Object> results = c.finish();
            List<Map<String, Object>> s = streams(results);
            assertEquals(2, s.size());
            assertEquals(50_000, number(s.get(0), "bytes"));
            assertTrue(number(s.get(1), "bytes") >= 100_000);
            assertTrue(((String) results.get("server_output_text")).contains("bidirectional 1 stream"),
                    results.toString());
        }
    }

    private static void expectServerError(IperfTestClient c, IperfProtocol.Error error) throws IOException {
        c.expectState(IperfProtocol.SERVER_ERROR);
        assertEquals(error.code, c.in.readInt(), "i_errno");
        assertEquals(0, c.in.readInt(), "errno");
        assertEquals(-1, c.in.read(), "the server closes after the error");
    }

    @Test
    void udpSctpAuthenticationPacingAndUnknownOptionsAreRefusedWithTheErrorIperf3Prints() throws Exception {
        Map<String, IperfProtocol.Error> refused = Map.of(
                "{\"udp\":true,\"parallel\":1,\"len\":32768,\"bandwidth\":1048576}", IperfProtocol.Error.PROTOCOL,
                "{\"sctp\":true,\"parallel\":1}", IperfProtocol.Error.PROTOCOL,
                "{\"tcp\":true,\"authtoken\":\"x\"}", IperfProtocol.Error.AUTHORIZATION,
                "{\"tcp\":true,\"reverse\":true,\"bandwidth\":1000000}", IperfProtocol.Error.NOT_IMPLEMENTED,
                "{\"tcp\":true,\"mptcp\":1}", IperfProtocol.Error.NOT_IMPLEMENTED,
                "{\"tcp\":true,\"parallel\":129}", IperfProtocol.Error.NUM_STREAMS,
                "{\"tcp\":true,\"len\":2000000}", IperfProtocol.Error.BLOCK_SIZE,
                "{\"tcp\":true,\"time\":86401}", IperfProtocol.Error.DURATION,
                "{\"tcp\":tru", IperfProtocol.Error.RECEIVE_PARAMETERS);
        int i = 0;
        for (Map.Entry<String, IperfProtocol.Error> e : refused.entrySet()) {
            try (IperfTestClient c = new IperfTestClient(pair.clientStack, "refused" + i++)) {
                c.sendCookie();
                c.expectState(IperfProtocol.PARAM_EXCHANGE);
                c.sendJson(e.getKey());
                expectServerError(c, e.getValue());
            }
        }
        assertEquals(refused.size(), counter(IperfCounter.TESTS_REFUSED) + counter(IperfCounter.PROTOCOL_ERRORS));
    }

    @Test
    void anUnknownStateByteEndsTheTestWithAnError() throws Exception {
        try (IperfTestClient c = new IperfTestClient(pair.clientStack, "state")) {
            c.negotiate("{" + TCP + "\"parallel\":1}");
            c.openStreams(1);
            c.out.writeByte(99);
            c.out.flush();
            expectServerError(c, IperfProtocol.Error.UNKNOWN_MESSAGE);
        }
    }

    @Test
    void aSecondClientIsTurnedAwayWhileATestRunsAndServedAfterIt() throws Exception {
        try (IperfTestClient first = new IperfTestClient(pair.clientStack, "first")) {
            first.negotiate("{" + TCP + "\"parallel\":1}");
            first.openStreams(1);
            try (TcpSocket second = IperfTestClient.connect(pair.clientStack)) {
                second.getOutputStream().write(IperfTestClient.cookie("second"));
                DataInputStream in = new DataInputStream(second.getInputStream());
                assertEquals(IperfProtocol.ACCESS_DENIED, in.readByte(), "the server is busy");
                assertEquals(-1, in.read());
            }
            first.finish();
        }
        try (IperfTestClient third = new IperfTestClient(pair.clientStack, "third")) {
            third.negotiate("{" + TCP + "\"parallel\":1}");
            third.openStreams(1);
            third.finish();
        }
        assertEquals(1, counter(IperfCounter.BUSY_DENIED));
    }

    @Test
    void aDataConnectionWithAnotherCookieOrOneTooManyIsDenied() throws Exception {
        try (IperfTestClient c = new IperfTestClient(pair.clientStack, "cookie")) {
            c.negotiate("{" + TCP + "\"parallel\":1}");
            TcpSocket stranger = c.openStream(IperfTestClient.cookie("not-the-cookie"));
            assertEquals(IperfProtocol.ACCESS_DENIED, (byte) stranger.getInputStream().read());
            c.openStreams(1);
            c.finish();
        }
        assertEquals(1, counter(IperfCounter.STREAMS_DENIED));
    }

    @Test
    void aClientThatLeavesMidTestFreesTheServer() throws Exception {
        IperfTestClient gone = new IperfTestClient(pair.clientStack, "gone");
        gone.negotiate("{" + TCP + "\"parallel\":2}");
        gone.openStream(gone.cookie);
        gone.control.abort();
        gone.close();
        awaitCounter(IperfCounter.TESTS_ABANDONED, 1);
        try (IperfTestClient next = new IperfTestClient(pair.clientStack, "next")) {
            next.negotiate("{" + TCP + "\"parallel\":1}");
            next.openStreams(1);
            next.finish();
        }
    }

    @Test
    void aSilentClientIsEndedWhenTheNextOneArrivesAfterTheIdleLimit() throws Exception {
        IperfTestClient silent = new IperfTestClient(pair.clientStack, "silent");
        silent.sendCookie();
        silent.expectState(IperfProtocol.PARAM_EXCHANGE);
        clockOffset.addAndGet(IperfService.IDLE_LIMIT_NANOS + 1_000_000_000L);
        try (IperfTestClient next = new IperfTestClient(pair.clientStack, "next")) {
            next.negotiate("{" + TCP + "\"parallel\":1}");
            assertThrows(IOException.class, () -> silent.in.readByte(), "the silent client was reset");
            next.openStreams(1);
            next.finish();
        }
        silent.close();
        assertEquals(1, counter(IperfCounter.STALE_TESTS_ENDED));
    }
}
