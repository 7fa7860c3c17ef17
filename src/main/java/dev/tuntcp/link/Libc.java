package dev.tuntcp.link;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The few libc calls the link layer needs, bound with JNA direct mapping ({@link Native#register}):
 * no JNI code of our own and no per-call reflection.
 *
 * <p>Pointers are passed as {@code long} addresses (Netty's {@code memoryAddress()} or JNA
 * {@code Pointer.nativeValue}) so a call allocates nothing; this relies on the LP64 ABI (pointers,
 * {@code long} and {@code size_t} are all 64-bit and passed alike), which holds on Linux x86-64 and
 * aarch64, the platforms tuntcp supports. Failed calls return -1 and leave {@code errno} in
 * {@link #errno()} (JNA saves it per thread after every native call).
 */
public final class Libc {
    static {
        Native.register(Libc.class, Platform.C_LIBRARY_NAME);
    }

    private Libc() {
    }

    // open(2) flags (asm-generic/fcntl.h, shared by x86-64 and aarch64)
    public static final int O_RDONLY = 0;
    public static final int O_RDWR = 2;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;

    // poll(2) events
    public static final short POLLIN = 0x1;
    public static final short POLLOUT = 0x4;
    public static final short POLLERR = 0x8;
    public static final short POLLHUP = 0x10;
    public static final short POLLNVAL = 0x20;

    // eventfd(2) flags
    public static final int EFD_NONBLOCK = O_NONBLOCK;
    public static final int EFD_CLOEXEC = O_CLOEXEC;

    // socket(2)
    public static final int AF_INET = 2;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_CLOEXEC = O_CLOEXEC;

    // setns(2)/unshare(2)
    public static final int CLONE_NEWNET = 0x40000000;

    // errno values (asm-generic/errno-base.h, errno.h)
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int ENXIO = 6;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int EMSGSIZE = 90;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ENOBUFS = 105;
    public static final int EBADFD = 77;

    public static native int open(String path, int flags);

    public static native int close(int fd);

    /** read(2) into {@code count} bytes at native address {@code buf}. */
    public static native long read(int fd, long buf, long count);

    /** write(2) of {@code count} bytes from native address {@code buf}. */
    public static native long write(int fd, long buf, long count);

    /** writev(2): {@code iov} is the address of {@code iovcnt} {@code struct iovec}s (16 bytes each). */
    public static native long writev(int fd, long iov, int iovcnt);

    /** ioctl(2) whose third argument is a pointer (or an int passed as a long). */
    public static native int ioctl(int fd, long request, long arg);

    /** poll(2) over {@code nfds} {@code struct pollfd}s (8 bytes each) at {@code fds}. */
    public static native int poll(long fds, long nfds, int timeoutMillis);

    public static native int eventfd(int initval, int flags);

    public static native int socket(int domain, int type, int protocol);

    public static native int setns(int fd, int nstype);

    public static native int unshare(int flags);

    public static native String strerror(int errnum);

    /**
     * syscall(2) with up to six integer arguments, for system calls libc has no wrapper for
     * (io_uring, {@link IoUring}). Returns -1 with {@code errno} set on failure.
     */
    public static native long syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6);

    /** mmap(2); returns -1 (MAP_FAILED) with {@code errno} set on failure. */
    public static native long mmap(long addr, long length, int prot, int flags, int fd, long offset);

    public static native int munmap(long addr, long length);

    /** The calling thread's {@code errno} as left by its last native call. */
    public static int errno() {
        return Native.getLastError();
    }

    /** A readable name for an errno value, e.g. "Operation not permitted". */
    public static String describe(int errno) {
        String text = strerror(errno);
        return text == null ? "errno " + errno : text;
    }
}
