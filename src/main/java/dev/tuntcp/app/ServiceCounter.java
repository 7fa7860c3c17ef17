package dev.tuntcp.app;

/** What the services count in the stack's {@link dev.tuntcp.stack.Counters} (shown by {@code stats}). */
public enum ServiceCounter {
    ECHO_CONNECTIONS,
    ECHO_BYTES,
    DISCARD_CONNECTIONS,
    DISCARD_BYTES,
    CHARGEN_CONNECTIONS,
    CHARGEN_BYTES,
    HTTP_CONNECTIONS,
    HTTP_REQUESTS,
    /** Bytes of /bytes and /echo response bodies handed to the stack. */
    HTTP_BODY_BYTES,
    /** A handler callback threw; the connection was aborted instead of disturbing the stack. */
    INTERNAL_ERRORS
}
