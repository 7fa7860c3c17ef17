package dev.tuntcp.cli;

import dev.tuntcp.link.Netns;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Kernel TCP clients written with plain Java sockets, for machines without curl or nc: each runs on
 * a thread that has entered the demo's namespace, so its socket belongs to the kernel there.
 */
final class JavaPeer {
    private JavaPeer() {
    }

    /** GET / over HTTP/1.1 with Connection: close; returns the whole response. */
    static String httpGet(String ns, String host, int port, Duration timeout) throws Exception {
        return Netns.call(ns, timeout, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
                s.setSoTimeout((int) timeout.toMillis());
                s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                return readAll(s.getInputStream());
            }
        });
    }

    /** Sends {@code line}, half-closes (FIN) at once, then reads until the peer's FIN. */
    static String echoHalfClose(String ns, String host, int port, String line, Duration timeout) throws Exception {
        return Netns.call(ns, timeout, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
                s.setSoTimeout((int) timeout.toMillis());
                s.getOutputStream().write(line.getBytes(StandardCharsets.UTF_8));
                s.shutdownOutput();
                return readAll(s.getInputStream());
            }
        });
    }

    private static String readAll(InputStream in) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        in.transferTo(buf);
        return buf.toString(StandardCharsets.UTF_8);
    }
}
