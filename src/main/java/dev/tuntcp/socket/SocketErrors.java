package dev.tuntcp.socket;

import dev.tuntcp.socket.ConnectionHandler.CloseReason;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;

/** How a connection's end shows to a blocking caller, in the words java.net sockets use. */
final class SocketErrors {
    private SocketErrors() {
    }

    static IOException connectFailure(CloseReason reason) {
        switch (reason) {
            case REFUSED:
                return new ConnectException("Connection refused");
            case TIMED_OUT:
                return new ConnectException("Connection timed out");
            default:
                return new ConnectException("Connection failed: " + reason);
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
