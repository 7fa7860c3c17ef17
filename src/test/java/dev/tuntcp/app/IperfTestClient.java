package dev.tuntcp.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tuntcp.socket.SocketOptions;
import dev.tuntcp.socket.SocketStack;
import dev.tuntcp.socket.TcpSocket;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A scripted iperf3 client on blocking sockets: each step is one message of iperf3's exchange, so a
 * test can stop anywhere, send something wrong, or check exactly what the server answers.
 */
final class IperfTestClient implements AutoCloseable {
    static final SocketOptions OPTIONS = SocketOptions.DEFAULT.withConnectTimeoutMillis(10_000)
            .withSoTimeoutMillis(20_000);

    final SocketStack stack;
    final byte[] cookie;
    final TcpSocket control;
    final DataInputStream in;
    final DataOutputStream out;
    final List<TcpSocket> streams = new ArrayList<>();

    IperfTestClient(SocketStack stack, String cookieText) throws IOException {
        this.stack = stack;
        this.cookie = cookie(cookieText);
        this.control = connect(stack);
        this.in = new DataInputStream(control.getInputStream());
        this.out = new DataOutputStream(control.getOutputStream());
    }

    static byte[] cookie(String text) {
        byte[] c = new byte[IperfProtocol.COOKIE_SIZE];
        byte[] t = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(t, 0, c, 0, Math.min(t.length, 36));
        return c;
    }

    static TcpSocket connect(SocketStack stack) throws IOException {
        return TcpSocket.connect(stack, "10.13.0.2", IperfService.PORT, OPTIONS);
    }

    void sendCookie() throws IOException {
        out.write(cookie);
        out.flush();
    }

    byte readState() throws IOException {
        return in.readByte();
    }

    void expectState(byte state) throws IOException {
        assertEquals(state, readState(), "state byte from the server");
    }

    void sendJson(String json) throws IOException {
        byte[] text = json.getBytes(StandardCharsets.UTF_8);
        out.writeInt(text.length);
        out.write(text);
        out.flush();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> readJson() throws IOException {
        int length = in.readInt();
        byte[] text = new byte[length];
        in.readFully(text);
        IperfJson.Parsed parsed = IperfJson.parse(new String(text, StandardCharsets.UTF_8));
        if (!parsed.ok()) {
            throw new AssertionError("server sent bad JSON: " + parsed.error());
        }
        return (Map<String, Object>) parsed.value();
    }

    /** Cookie, PARAM_EXCHANGE, parameters, CREATE_STREAMS. */
    void negotiate(String parameters) throws IOException {
        sendCookie();
        expectState(IperfProtocol.PARAM_EXCHANGE);
        sendJson(parameters);
        expectState(IperfProtocol.CREATE_STREAMS);
    }

    TcpSocket openStream(byte[] withCookie) throws IOException {
        TcpSocket s = connect(stack);
        s.getOutputStream().write(withCookie);
        streams.add(s);
        return s;
    }

    /** Opens {@code n} data connections and waits for TEST_START and TEST_RUNNING. */
    void openStreams(int n) throws IOException {
        for (int i = 0; i < n; i++) {
            openStream(cookie);
        }
        expectState(IperfProtocol.TEST_START);
        expectState(IperfProtocol.TEST_RUNNING);
    }

    /** TEST_END, EXCHANGE_RESULTS, our results, theirs, DISPLAY_RESULTS, IPERF_DONE. */
    Map<String, Object> finish() throws IOException {
        out.writeByte(IperfProtocol.TEST_END);
        out.flush();
        expectState(IperfProtocol.EXCHANGE_RESULTS);
        sendJson("{\"cpu_util_total\":1,\"cpu_util_user\":1,\"cpu_util_system\":0,\"sender_has_retransmits\":0,"
                + "\"streams\":[]}");
        Map<String, Object> results = readJson();
        expectState(IperfProtocol.DISPLAY_RESULTS);
        out.writeByte(IperfProtocol.IPERF_DONE);
        out.flush();
        return results;
    }

    @Override
    public void close() {
        streams.forEach(TcpSocket::close);
        control.close();
    }
}
