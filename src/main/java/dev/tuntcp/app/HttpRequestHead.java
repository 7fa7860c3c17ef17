package dev.tuntcp.app;

/**
 * What the service needs from a parsed request head (RFC 9112 §2-§5); the other fields are
 * validated and dropped.
 *
 * @param method the method token, case-sensitive (RFC 9110 §9.1)
 * @param path the request-target's path (origin-form, or the path of an absolute-form target),
 *     without the query; {@code "*"} for the asterisk-form
 * @param minorVersion the minor HTTP version (the major is always 1)
 * @param contentLength the Content-Length, {@link #NO_CONTENT_LENGTH} when absent,
 *     {@link #HUGE_CONTENT_LENGTH} when it has more digits than any body the service would take
 * @param hasTransferEncoding a Transfer-Encoding field was present
 * @param keepAlive the connection persists after the response (RFC 9112 §9.3)
 * @param expectContinue the client waits for {@code 100 Continue} before the body (RFC 9110 §10.1.1)
 */
record HttpRequestHead(String method, String path, int minorVersion, long contentLength,
        boolean hasTransferEncoding, boolean keepAlive, boolean expectContinue) {

    static final long NO_CONTENT_LENGTH = -1;
    static final long HUGE_CONTENT_LENGTH = Long.MAX_VALUE;
}
