package dev.tuntcp.tcp;

import dev.tuntcp.testing.Rfc9293;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every numbered step of RFC 9293 §3.10.7.4 in every synchronized state: the sequence test (in and
 * out of window, above and below), RST (exact, in window, out of window; RFC 5961 §3), SYN (RFC 5961
 * §4), the ACK bit off, an ACK of unsent data, text and FIN, plus ABORT (§3.10.5).
 *
 * <p>Each state is reached by a prefix script from a passive open with peer ISN 0; {@code snd} is
 * then SND.NXT (relative to ISS), {@code una} an ACK value that acknowledges nothing new, and
 * {@code rcv} RCV.NXT.
 */
class SynchronizedStatesScriptTest {

    enum State {
        SYN_RECEIVED(1, 0, 1, """
                listen
                < S 0:0(0) win 65535 <mss 1460>
                > S. 0:0(0) ack 1 <mss 1460>
                """),
        ESTABLISHED(1, 1, 1, """
                listen
                < S 0:0(0) win 65535 <mss 1460>
                > S. 0:0(0) ack 1 <mss 1460>
                < . 1:1(0) ack 1
                ~ open
                """),
        FIN_WAIT_1(2, 1, 1, ESTABLISHED.prefix + """
                shutdown
                > F. 1:1(0) ack 1
                """),
        FIN_WAIT_2(2, 2, 1, FIN_WAIT_1.prefix + """
                < . 1:1(0) ack 2
                """),
        CLOSING(2, 1, 2, FIN_WAIT_1.prefix + """
                < F. 1:1(0) ack 1
                > . 2:2(0) ack 2
                """),
        TIME_WAIT(2, 2, 2, FIN_WAIT_2.prefix + """
                < F. 1:1(0) ack 2
                > . 2:2(0) ack 2
                ~ closed CLOSED
                """),
        CLOSE_WAIT(1, 1, 2, ESTABLISHED.prefix + """
                < F. 1:1(0) ack 1
                > . 1:1(0) ack 2
                """),
        LAST_ACK(2, 1, 2, CLOSE_WAIT.prefix + """
                shutdown
                > F. 1:1(0) ack 2
                """);

        final int snd;
        final int una;
        final int rcv;
        final String prefix;

        State(int snd, int una, int rcv, String prefix) {
            this.snd = snd;
            this.una = una;
            this.rcv = rcv;
            this.prefix = prefix + "state " + name() + "\n";
        }

        /** A script: the prefix, then {@code body} with {s} {u} {r} {S} replaced. */
        String script(String body) {
            return prefix + body.replace("{s}", Integer.toString(snd)).replace("{u}", Integer.toString(una))
                    .replace("{r+100}", Integer.toString(rcv + 100)).replace("{r+10}", Integer.toString(rcv + 10))
                    .replace("{r+100000}", Integer.toString(rcv + 100000)).replace("{r-1}", Integer.toString(rcv - 1))
                    .replace("{r+1}", Integer.toString(rcv + 1)).replace("{s+1000}", Integer.toString(snd + 1000))
                    .replace("{r}", Integer.toString(rcv)).replace("{S}", name());
        }

        boolean userHeardOfIt() {
            return this != SYN_RECEIVED;
        }
    }

    private static void run(State st, String body) {
        new SegmentScript().run(st.script(body));
    }

    // --- first: the sequence number --------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(State.class)
    void unacceptableSequenceNumberIsAcknowledgedAndDropped(State st) {
        run(st, """
                < . {r+100000}:{r+100000}(0) ack {u}
                drop SEQ_UNACCEPTABLE
                > . {s}:{s}(0) ack {r}
                < . {r-1}:{r-1}(0) ack {u}
                drop SEQ_UNACCEPTABLE
                > . {s}:{s}(0) ack {r}
                state {S}
                """);
    }

    // --- second: RST -----------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(State.class)
    @Rfc9293("MUST-12")
    void resetAtRcvNxtClosesTheConnection(State st) {
        String event = switch (st) {
            case SYN_RECEIVED, TIME_WAIT -> "~ !closed RESET"; // never told / already told
            default -> "~ closed RESET";
        };
        run(st, """
                < R {r}:{r}(0)
                state CLOSED
                """ + event + "\n");
    }

    @ParameterizedTest
    @EnumSource(State.class)
    void resetInTheWindowButNotAtRcvNxtGetsAChallengeAck(State st) {
        run(st, """
                < R {r+100}:{r+100}(0)
                drop RST_CHALLENGED
                > . {s}:{s}(0) ack {r}
                state {S}
                """);
    }

    @ParameterizedTest
    @EnumSource(State.class)
    void resetOutsideTheWindowIsIgnored(State st) {
        run(st, """
                < R {r+100000}:{r+100000}(0)
                drop RST_OUT_OF_WINDOW
                < R. {r-1}:{r-1}(0) ack {u}
                drop RST_OUT_OF_WINDOW
                state {S}
                """);
    }

    // --- fourth: SYN -----------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(State.class)
    void synInTheWindowGetsAChallengeAckOrReturnsAHalfOpenConnectionToListen(State st) {
        if (st == State.SYN_RECEIVED) {
            run(st, """
                    < S {r}:{r}(0) win 65535 <mss 1460>
                    drop SYN_IN_SYN_RECEIVED
                    state CLOSED
                    """);
            return;
        }
        run(st, """
                < S {r}:{r}(0) win 65535 <mss 1460>
                drop SYN_CHALLENGED
                > . {s}:{s}(0) ack {r}
                state {S}
                """);
    }

    // --- fifth: ACK ------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(State.class)
    void segmentWithoutAckIsDropped(State st) {
        run(st, """
                < F {r}:{r}(0)
                drop NO_ACK
                state {S}
                """);
    }

    @ParameterizedTest
    @EnumSource(State.class)
    void ackOfUnsentDataIsRefused(State st) {
        if (st == State.SYN_RECEIVED) {
            run(st, """
                    < . {r}:{r}(0) ack {s+1000}
                    drop SYN_RECEIVED_BAD_ACK
                    > R {s+1000}:{s+1000}(0)
                    state {S}
                    """);
            return;
        }
        run(st, """
                < . {r}:{r}(0) ack {s+1000}
                drop ACK_UNSENT
                > . {s}:{s}(0) ack {r}
                state {S}
                """);
    }

    // --- seventh: text ---------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(State.class)
    void segmentText(State st) {
        switch (st) {
            case SYN_RECEIVED -> run(st, """
                    < P. {r}:{r+10}(10) ack 1
                    state ESTABLISHED
                    > . {s}:{s}(0) ack {r+10}
                    ~ open
                    read 10
                    """);
            case ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2 -> run(st, """
                    < P. {r}:{r+10}(10) ack {u}
                    > . {s}:{s}(0) ack {r+10}
                    state {S}
                    read 10
                    """);
            case CLOSING -> run(st, """
                    # CLOSING: a segment that does not acknowledge our FIN is ignored at the ACK step
                    < P. {r}:{r+10}(10) ack {u}
                    drop CLOSING_NOT_FIN_ACK
                    state {S}
                    """);
            default -> run(st, """
                    < P. {r}:{r+10}(10) ack {u}
                    drop DATA_AFTER_FIN
                    state {S}
                    readable 0
                    """);
        }
    }

    // --- eighth: FIN -----------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(State.class)
    void finBit(State st) {
        switch (st) {
            case SYN_RECEIVED -> run(st, """
                    < F. {r}:{r}(0) ack 1
                    state CLOSE-WAIT
                    > . {s}:{s}(0) ack {r+1}
                    ~ open
                    eof
                    """);
            case ESTABLISHED -> run(st, """
                    < F. {r}:{r}(0) ack {u}
                    state CLOSE-WAIT
                    > . {s}:{s}(0) ack {r+1}
                    eof
                    """);
            case FIN_WAIT_1 -> run(st, """
                    < F. {r}:{r}(0) ack {u}
                    state CLOSING
                    > . {s}:{s}(0) ack {r+1}
                    """);
            case FIN_WAIT_2 -> run(st, """
                    < F. {r}:{r}(0) ack {u}
                    state TIME-WAIT
                    > . {s}:{s}(0) ack {r+1}
                    ~ closed CLOSED
                    """);
            case CLOSING -> run(st, """
                    < F. {r}:{r}(0) ack {u}
                    drop CLOSING_NOT_FIN_ACK
                    state {S}
                    """);
            default -> run(st, """
                    < F. {r}:{r}(0) ack {u}
                    state {S}
                    > . {s}:{s}(0) ack {r}
                    """);
        }
    }

    // --- ABORT (§3.10.5) -------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(State.class)
    void abort(State st) {
        SegmentScript s = new SegmentScript().run(st.prefix);
        Connection c = s.current();
        c.abort();
        String expected = switch (st) {
            case SYN_RECEIVED -> "> R {s}:{s}(0)\nstate CLOSED\n";
            case ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT -> "> R {s}:{s}(0)\nstate CLOSED\n~ closed ABORTED\n";
            case CLOSING, LAST_ACK -> "state CLOSED\n~ closed ABORTED\n";
            case TIME_WAIT -> "state CLOSED\n~ !closed ABORTED\n";
        };
        s.run(st.script(expected).substring(st.prefix.length()));
    }
}
