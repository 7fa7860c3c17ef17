package dev.tuntcp.link;

/**
 * Setting up a link failed in a way the user must fix (privileges, a missing {@code /dev/net/tun}, a
 * device name in use, an address the kernel refused). The message is one line that names the fix, so
 * the command line can print it as is, e.g. {@code cannot open /dev/net/tun: Operation not permitted
 * — run as root or create a persistent device with native-setup/tun-up.sh}.
 */
public final class LinkSetupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, for callers that react differently (tests, exit codes). */
    public enum Reason {
        /** Missing root/CAP_NET_ADMIN, or file permissions on /dev/net/tun. */
        NO_PERMISSION,
        /** /dev/net/tun is missing or the tun module is not loaded. */
        NO_TUN_SUPPORT,
        /** The TUN device is attached to another process. */
        DEVICE_BUSY,
        /** A device of that name exists but is not a TUN device we can attach to. */
        NOT_A_TUN,
        /** The device name is not a valid Linux interface name. */
        BAD_NAME,
        /** An address, prefix or MTU the kernel (or our validation) refused. */
        BAD_CONFIG,
        /** A network namespace could not be entered or created. */
        NAMESPACE,
        /** Anything else the kernel reported. */
        SYSTEM
    }

    private final Reason reason;
    private final int errno;

    public LinkSetupException(Reason reason, int errno, String oneLineMessage) {
        super(oneLineMessage);
        this.reason = reason;
        this.errno = errno;
    }

    public Reason reason() {
        return reason;
    }

    /** The errno behind the failure, or 0 when it did not come from a system call. */
    public int errno() {
        return errno;
    }
}
