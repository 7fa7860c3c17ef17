package dev.tuntcp.app;

/** What the iperf3 service counts in the stack's {@link dev.tuntcp.stack.Counters}. */
public enum IperfCounter {
    /** Parameters accepted and CREATE_STREAMS sent. */
    TESTS_STARTED,
    /** Results exchanged and DISPLAY_RESULTS sent. */
    TESTS_COMPLETED,
    /** Parameters refused with SERVER_ERROR (e.g. {@code -u}). */
    TESTS_REFUSED,
    /** A client arrived while a test ran and got ACCESS_DENIED ("the server is busy"). */
    BUSY_DENIED,
    /** A data connection with a wrong cookie, or more than were asked for, got ACCESS_DENIED. */
    STREAMS_DENIED,
    /** A test whose client went silent was ended to make room for a new client. */
    STALE_TESTS_ENDED,
    /** The control connection closed or was reset before the test finished. */
    TESTS_ABANDONED,
    /** Malformed JSON, an unknown state byte or an oversized message on the control connection. */
    PROTOCOL_ERRORS,
    /** Data bytes received on streams (the client sends; everything, omitted seconds included). */
    BYTES_RECEIVED,
    /** Data bytes the stack took on streams this side sends ({@code -R}, {@code --bidir}). */
    BYTES_SENT
}
