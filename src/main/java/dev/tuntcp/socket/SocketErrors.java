package dev.tuntcp.socket;

import dev.tuntcp.socket.ConnectionHandler.CloseReason;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;

/** How a connection's end shows to a blocking caller, in the words java.net sockets use. */
final class SocketErrors {
    private SocketErrors() {
    }

    /**
     * A failed active open; {@code softError} (or null) is the last ICMP error about it, named in the
     * message as RFC 9293 §3.9.1.8 (MUST-47) asks, e.g. "Connection timed out (last ICMP error: host
     * unreachable (ICMP 3/1))".
     */
    static IOException connectFailure(CloseReason reason, String softError) {
        String because = softError == null ? "" : " (" + (reason == CloseReason.REFUSED ? "" : "last ICMP error: ") + softError + ")";
        switch (reason) {
            case REFUSED:
                return new ConnectException("Connection refused" + because);
            case TIMED_OUT:
                return new ConnectException("Connection timed out" + because);
            default:
                return new ConnectException("Connection failed: " + reason + because);
        }
    }

    /** A read after the connection ended: end of stream after a clean close, else the failure. */
    static int endOfStreamOrThrow(CloseReason reason) throws SocketException {
        switch (reason) {
            case CLOSED:
                return -1;
            case RESET:
                throw new SocketException("Connection reset");
            case TIMED_OUT:
                throw new SocketException("Connection timed out");
            default:
                throw new SocketException("Connection " + reason.name().toLowerCase());
        }
    }

    static SocketException writeFailure(CloseReason reason) {
        return new SocketException(reason == CloseReason.RESET ? "Connection reset" : "Broken pipe");
    }
}
