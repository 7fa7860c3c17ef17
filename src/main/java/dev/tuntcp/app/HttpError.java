package dev.tuntcp.app;

/**
 * Every way a request can be refused, with the status it is answered with; each is counted in
 * {@link dev.tuntcp.stack.Counters} under its own name. All of them close the connection after the
 * response, because after a framing error the next request cannot be found reliably.
 */
enum HttpError {
    /** RFC 6585 §5: the head did not end within the limit. */
    HEAD_TOO_LARGE(431, "Request Header Fields Too Large"),
    /** RFC 9112 §3: not {@code method SP request-target SP HTTP-version}. */
    BAD_REQUEST_LINE(400, "Bad Request"),
    /** RFC 9112 §3.2: a request-target in none of the four forms. */
    BAD_TARGET(400, "Bad Request"),
    /** RFC 9112 §2.3: not {@code HTTP/DIGIT.DIGIT}. */
    BAD_VERSION(400, "Bad Request"),
    /** RFC 9110 §15.6.6: a major version other than 1. */
    UNSUPPORTED_VERSION(505, "HTTP Version Not Supported"),
    /** RFC 9112 §2.2: a CR not followed by LF. */
    BARE_CR(400, "Bad Request"),
    /** RFC 9112 §5.2: obsolete line folding, rejected in requests. */
    OBS_FOLD(400, "Bad Request"),
    /** RFC 9112 §5.1: a field line without a token name and colon, or with invalid value bytes. */
    BAD_HEADER(400, "Bad Request"),
    /** RFC 9110 §8.6: Content-Length not digits, or conflicting values. */
    BAD_CONTENT_LENGTH(400, "Bad Request"),
    /** RFC 9112 §3.2: an HTTP/1.1 request without exactly one Host field. */
    BAD_HOST(400, "Bad Request"),
    /** RFC 9110 §10.1.1: an expectation other than 100-continue. */
    UNSUPPORTED_EXPECTATION(417, "Expectation Failed"),
    /** RFC 9112 §6.1: request transfer codings are not implemented (only Content-Length bodies). */
    UNSUPPORTED_TRANSFER_CODING(501, "Not Implemented"),
    /** RFC 9110 §15.5.12: POST /echo without Content-Length. */
    LENGTH_REQUIRED(411, "Length Required"),
    /** RFC 9110 §15.5.14: a body above the service's limit. */
    BODY_TOO_LARGE(413, "Content Too Large"),
    /** The peer's FIN arrived in the middle of a request head. */
    INCOMPLETE_REQUEST(400, "Bad Request");

    final int status;
    final String reason;

    HttpError(int status, String reason) {
        this.status = status;
        this.reason = reason;
    }
}
