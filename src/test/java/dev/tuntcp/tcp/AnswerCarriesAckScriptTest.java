package dev.tuntcp.tcp;

import org.junit.jupiter.api.Test;

/**
 * An ACK owed for a segment waits for the application's turn, which follows at once, so that the
 * answer the application writes (or the FIN of its close) carries it (RFC 9293 §3.10.7.4 seventh and
 * eighth steps; RFC 1122 §4.2.3.2 lets an ACK wait, here it waits for no timer). The exchange of
 * {@code tcpbench conns} against the echo service — request, echo, FIN, FIN — so takes three
 * segments from the stack (SYN/ACK, echo, FIN) instead of five: a bare window update before the
 * echo and a bare ACK of the FIN before the stack's own FIN were each a TUN write of their own
 * (docs/benchmarks.md, issue 9 "connections per second"). An application that does not answer in
 * its callback still gets the ACK sent right after it (CloseScriptTest, DataScriptTest).
 */
class AnswerCarriesAckScriptTest {

    @Test
    void theEchoCarriesTheAckOfTheRequestAndTheFinCarriesTheAckOfTheFin() {
        new SegmentScript().run("""
                listen
                app echo
                < S 0:0(0) win 65535 <mss 1460>
                > S. 0:0(0) ack 1 <mss 1460>
                < . 1:1(0) ack 1 win 65535
                ~ open
                < P. 1:33(32) ack 1 win 65535
                > P. 1:33(32) ack 33
                ~ readable
                < F. 33:33(0) ack 33 win 65535
                > F. 33:33(0) ack 34
                ~ readable
                state LAST-ACK
                < . 34:34(0) ack 34 win 65535
                state CLOSED
                ~ closed CLOSED
                """);
    }

    /**
     * With window scaling the SYN/ACK offers at most 65535 (RFC 7323 §2.2), so reading the first
     * request opens the window by far more than the receiver's silly-window threshold and an update
     * is due (UserCalls.receive). Read inside the callback, the update rides on the echo.
     */
    @Test
    void theWindowUpdateAfterTheFirstReadRidesOnTheEcho() {
        new SegmentScript(SegmentScript.config().delayedAckNanos(40_000_000L)).run("""
                listen
                app echo
                < S 0:0(0) win 64240 <mss 1460,nop,wscale 7>
                > S. 0:0(0) ack 1 win 65535 <mss 1460,nop,wscale 3>
                < . 1:1(0) ack 1 win 502
                ~ open
                < P. 1:33(32) ack 1 win 502
                > P. 1:33(32) ack 33 win 32768
                ~ readable
                < . 33:33(0) ack 33 win 502
                < F. 33:33(0) ack 33 win 502
                > F. 33:33(0) ack 34 win 32768
                < . 34:34(0) ack 34 win 502
                state CLOSED
                """);
    }
}
