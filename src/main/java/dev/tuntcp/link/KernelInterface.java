package dev.tuntcp.link;

import static dev.tuntcp.link.LinkSetupException.Reason.BAD_CONFIG;
import static dev.tuntcp.link.LinkSetupException.Reason.NO_PERMISSION;
import static dev.tuntcp.link.LinkSetupException.Reason.SYSTEM;

import java.util.OptionalInt;

/**
 * The kernel side of an interface, configured the way {@code ifconfig} does it: {@code ioctl}s on an
 * AF_INET datagram socket (netdevice(7)), so iproute2 is not needed at run time.
 *
 * <p>The socket belongs to the network namespace of the thread that called {@link #open()}, and every
 * name is looked up in that namespace; {@link TunDevice} opens its own right after the TUN fd, so the
 * two always agree.
 */
public final class KernelInterface implements AutoCloseable {
    // linux/sockios.h
    static final long SIOCGIFFLAGS = 0x8913;
    static final long SIOCSIFFLAGS = 0x8914;
    static final long SIOCGIFADDR = 0x8915;
    static final long SIOCSIFADDR = 0x8916;
    static final long SIOCGIFNETMASK = 0x891b;
    static final long SIOCSIFNETMASK = 0x891c;
    static final long SIOCGIFMTU = 0x8921;
    static final long SIOCSIFMTU = 0x8922;
    static final long SIOCGIFINDEX = 0x8933;
    // linux/if.h
    static final short IFF_UP = 0x1;
    static final short IFF_RUNNING = 0x40;

    /** What {@link #configure} did, so a caller can tell the user. */
    public record Result(String name, boolean addressSet, boolean mtuSet, boolean broughtUp, int mtu) {
        public String describe() {
            return name + ": " + (addressSet ? "address set" : "address kept") + ", mtu " + mtu
                    + (mtuSet ? " (set)" : "") + (broughtUp ? ", brought up" : ", already up");
        }
    }

    private final int fd;
    private boolean closed;

    private KernelInterface(int fd) {
        this.fd = fd;
    }

    /** A control socket in the calling thread's network namespace. */
    public static KernelInterface open() {
        int fd = Libc.socket(Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            int errno = Libc.errno();
            throw new LinkSetupException(SYSTEM, errno, "cannot open a control socket: " + Libc.describe(errno)
                    + " — run native-setup/check.sh to see what is missing");
        }
        return new KernelInterface(fd);
    }

    /** Whether an interface of that name exists in this namespace. */
    public boolean exists(String name) {
        IfReq req = new IfReq(name);
        return Libc.ioctl(fd, SIOCGIFINDEX, req.address()) == 0;
    }

    /** The primary IPv4 address, or empty when the interface has none. */
    public OptionalInt address(String name) {
        return getIpv4(name, SIOCGIFADDR);
    }

    /** The netmask of the primary IPv4 address, or empty when the interface has none. */
    public OptionalInt netmask(String name) {
        return getIpv4(name, SIOCGIFNETMASK);
    }

    public int mtu(String name) {
        IfReq req = new IfReq(name);
        check(Libc.ioctl(fd, SIOCGIFMTU, req.address()), name, "read the MTU of");
        return req.intValue();
    }

    public boolean isUp(String name) {
        return (flags(name) & IFF_UP) != 0;
    }

    /**
     * Makes {@code name} carry {@code peer} (skipped when null or already so), the MTU (skipped when 0
     * or already so) and IFF_UP. Only what differs is changed, so an unprivileged user can attach to a
     * persistent device that native-setup/tun-up.sh already configured; when a change is needed but not
     * permitted the exception names that fix.
     */
    public Result configure(String name, PeerAddress peer, int mtu) {
        boolean addressSet = false;
        if (peer != null) {
            OptionalInt current = address(name);
            OptionalInt currentMask = netmask(name);
            boolean same = current.isPresent() && current.getAsInt() == peer.address()
                    && currentMask.isPresent() && currentMask.getAsInt() == peer.netmask();
            if (!same) {
                String now = current.isPresent()
                        ? "has address " + PeerAddress.formatIpv4(current.getAsInt()) + "/"
                          + PeerAddress.prefixOf(currentMask.orElse(0)) + ", not " + peer
                        : "has no IPv4 address";
                // SIOCSIFADDR derives a classful mask; SIOCSIFNETMASK then sets the real prefix and route.
                setIpv4(name, SIOCSIFADDR, peer.address(), now, peer);
                setIpv4(name, SIOCSIFNETMASK, peer.netmask(), now, peer);
                addressSet = true;
            }
        }
        boolean mtuSet = false;
        if (mtu > 0 && mtu(name) != mtu) {
            IfReq req = new IfReq(name);
            req.intValue(mtu);
            if (Libc.ioctl(fd, SIOCSIFMTU, req.address()) != 0) {
                int errno = Libc.errno();
                if (errno == Libc.EINVAL) {
                    throw new LinkSetupException(BAD_CONFIG, errno, "the kernel refused MTU " + mtu + " for " + name
                            + " — choose an MTU between 68 and 65535");
                }
                throw changeRefused(name, "has MTU " + mtu(name) + ", not " + mtu, errno, peer, mtu);
            }
            mtuSet = true;
        }
        boolean broughtUp = false;
        short flags = flags(name);
        if ((flags & IFF_UP) == 0) {
            IfReq req = new IfReq(name);
            req.flags((short) (flags | IFF_UP));
            if (Libc.ioctl(fd, SIOCSIFFLAGS, req.address()) != 0) {
                throw changeRefused(name, "is down", Libc.errno(), peer, mtu);
            }
            broughtUp = true;
        }
        return new Result(name, addressSet, mtuSet, broughtUp, mtu(name));
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Libc.close(fd);
        }
    }

    private short flags(String name) {
        IfReq req = new IfReq(name);
        check(Libc.ioctl(fd, SIOCGIFFLAGS, req.address()), name, "read the flags of");
        return req.flags();
    }

    private OptionalInt getIpv4(String name, long request) {
        IfReq req = new IfReq(name);
        if (Libc.ioctl(fd, request, req.address()) != 0) {
            int errno = Libc.errno();
            if (errno == Libc.EADDRNOTAVAIL) {
                return OptionalInt.empty();
            }
            throw failure(errno, name, "read the address of");
        }
        return OptionalInt.of(req.ipv4());
    }

    private void setIpv4(String name, long request, int value, String now, PeerAddress peer) {
        IfReq req = new IfReq(name);
        req.ipv4(value);
        if (Libc.ioctl(fd, request, req.address()) != 0) {
            int errno = Libc.errno();
            if (errno == Libc.EPERM || errno == Libc.EACCES) {
                throw changeRefused(name, now, errno, peer, 0);
            }
            throw new LinkSetupException(BAD_CONFIG, errno, "the kernel refused address " + peer + " on " + name
                    + ": " + Libc.describe(errno) + " — choose another --peer address");
        }
    }

    private static LinkSetupException changeRefused(String name, String now, int errno, PeerAddress peer, int mtu) {
        if (errno != Libc.EPERM && errno != Libc.EACCES) {
            return new LinkSetupException(SYSTEM, errno, "cannot configure " + name + ": " + Libc.describe(errno)
                    + " — run native-setup/check.sh to see what is missing");
        }
        String setup = "native-setup/tun-up.sh " + name + (peer != null ? " --peer " + peer : "")
                + (mtu > 0 ? " --mtu " + mtu : "");
        return new LinkSetupException(NO_PERMISSION, errno, "device " + name + " " + now
                + " and only root may change that — run as root, or configure it once with " + setup);
    }

    private static void check(int rc, String name, String what) {
        if (rc != 0) {
            throw failure(Libc.errno(), name, what);
        }
    }

    private static LinkSetupException failure(int errno, String name, String what) {
        if (errno == Libc.ENODEV) {
            return new LinkSetupException(SYSTEM, errno, "no device " + name
                    + " in this network namespace — check the --tun name (ip link show)");
        }
        return new LinkSetupException(SYSTEM, errno, "cannot " + what + " " + name + ": " + Libc.describe(errno)
                + " — run native-setup/check.sh to see what is missing");
    }
}
