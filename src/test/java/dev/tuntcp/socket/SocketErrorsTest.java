package dev.tuntcp.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tuntcp.socket.ConnectionHandler.CloseReason;
import dev.tuntcp.testing.Rfc9293;
import org.junit.jupiter.api.Test;

/** How a failed connect reads to a blocking caller, with the ICMP error behind it when there was one. */
class SocketErrorsTest {
    @Test
    void aPlainFailureReadsLikeJavaNet() {
        assertEquals("Connection refused", SocketErrors.connectFailure(CloseReason.REFUSED, null).getMessage());
        assertEquals("Connection timed out", SocketErrors.connectFailure(CloseReason.TIMED_OUT, null).getMessage());
    }

    @Test
    @Rfc9293("MUST-47")
    void theLastIcmpErrorIsNamedInTheMessage() {
        // RFC 9293 §3.9.1.8: soft errors reach the application; a timed-out connect says what the path said.
        assertEquals("Connection timed out (last ICMP error: host unreachable (ICMP 3/1))",
                SocketErrors.connectFailure(CloseReason.TIMED_OUT, "host unreachable (ICMP 3/1)").getMessage());
        assertEquals("Connection refused (port unreachable (ICMP 3/3))",
                SocketErrors.connectFailure(CloseReason.REFUSED, "port unreachable (ICMP 3/3)").getMessage());
    }
}
