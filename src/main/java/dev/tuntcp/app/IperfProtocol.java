package dev.tuntcp.app;

/**
 * The numbers of iperf3's control protocol (esnet/iperf {@code iperf_api.h}, stable since 3.0): the
 * one-byte states each side sends on the control connection, the error codes ({@code i_errno}) that
 * follow {@link #SERVER_ERROR}, and the limits iperf3's own server enforces.
 *
 * <p>The exchange, server side: read the 37-byte cookie; send {@link #PARAM_EXCHANGE}; read the
 * parameters (a 4-byte big-endian length, then that much JSON); send {@link #CREATE_STREAMS}; accept
 * the data connections (each starts with the same cookie); send {@link #TEST_START} and
 * {@link #TEST_RUNNING}; move data until the client sends {@link #TEST_END}; send
 * {@link #EXCHANGE_RESULTS}, read the client's results JSON, send ours; send
 * {@link #DISPLAY_RESULTS}; the client ends with {@link #IPERF_DONE}.
 */
final class IperfProtocol {
    private IperfProtocol() {
    }

    static final int PORT = 5201;
    /** 36 random characters and a NUL ({@code COOKIE_SIZE}). */
    static final int COOKIE_SIZE = 37;
    /** Larger parameter or result messages are refused (ours are well under 1 KiB; iperf3's too). */
    static final int MAX_JSON_BYTES = 64 * 1024;

    static final byte TEST_START = 1;
    static final byte TEST_RUNNING = 2;
    static final byte TEST_END = 4;
    static final byte PARAM_EXCHANGE = 9;
    static final byte CREATE_STREAMS = 10;
    static final byte SERVER_TERMINATE = 11;
    static final byte CLIENT_TERMINATE = 12;
    static final byte EXCHANGE_RESULTS = 13;
    static final byte DISPLAY_RESULTS = 14;
    static final byte IPERF_DONE = 16;
    /** "the server is busy running a test. try again later" on the client. */
    static final byte ACCESS_DENIED = -1;
    /** Followed by {@code i_errno} and {@code errno}, each a 4-byte big-endian int. */
    static final byte SERVER_ERROR = -2;

    /** iperf3's {@code MAX_STREAMS}. */
    static final int MAX_STREAMS = 128;
    /** iperf3's {@code MAX_BLOCKSIZE} (1 MB) for TCP {@code -l}. */
    static final int MAX_BLOCKSIZE = 1024 * 1024;
    /** iperf3's {@code MAX_TIME}: a day. */
    static final int MAX_TIME = 86400;
    /** iperf3's {@code MAX_OMIT_TIME}. */
    static final int MAX_OMIT_TIME = 600;

    /**
     * The {@code i_errno} values this server sends after {@link #SERVER_ERROR}, with the message the
     * iperf3 client prints for each ({@code iperf_strerror}).
     */
    enum Error {
        /** "number of parallel streams too large (maximum = 128)". */
        NUM_STREAMS(6),
        /** "block size too large (maximum = 1048576 bytes)". */
        BLOCK_SIZE(7),
        /** "test duration too long (maximum = 86400 seconds)". */
        DURATION(5),
        /** "bogus value for --omit". */
        OMIT(12),
        /** "an option you are trying to set is not implemented yet". */
        NOT_IMPLEMENTED(13),
        /** "unable to receive parameters from client". */
        RECEIVE_PARAMETERS(114),
        /** "received an unknown control message". */
        UNKNOWN_MESSAGE(110),
        /** "protocol does not exist" (UDP and SCTP: this service speaks TCP only). */
        PROTOCOL(131),
        /** "test authorization failed" (this service has no users to check a token against). */
        AUTHORIZATION(142);

        final int code;

        Error(int code) {
            this.code = code;
        }
    }
}
