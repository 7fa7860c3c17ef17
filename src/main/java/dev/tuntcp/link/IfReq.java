package dev.tuntcp.link;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;

/**
 * A {@code struct ifreq} (linux/if.h) laid out by hand in native memory: 16 bytes of interface name,
 * then a 24-byte union read as flags (short), an int (MTU, index) or a {@code struct sockaddr_in}
 * (family u16 in host order, port u16, address in network order, 8 bytes of zero). 40 bytes on LP64.
 * Used only while setting up a device, never on the packet path.
 */
final class IfReq {
    static final int IFNAMSIZ = 16;
    static final int SIZE = 40;
    private static final int UNION = IFNAMSIZ;

    private final Memory memory = new Memory(SIZE);

    IfReq(String name) {
        memory.clear();
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        memory.write(0, bytes, 0, Math.min(bytes.length, IFNAMSIZ - 1));
    }

    long address() {
        return Pointer.nativeValue(memory);
    }

    /** The name as the kernel left it (TUNSETIFF fills in a name pattern such as {@code tt%d}). */
    String name() {
        byte[] bytes = memory.getByteArray(0, IFNAMSIZ);
        int end = 0;
        while (end < IFNAMSIZ && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.US_ASCII);
    }

    void clearUnion() {
        memory.setMemory(UNION, SIZE - UNION, (byte) 0);
    }

    short flags() {
        return memory.getShort(UNION);
    }

    void flags(short flags) {
        clearUnion();
        memory.setShort(UNION, flags);
    }

    int intValue() {
        return memory.getInt(UNION);
    }

    void intValue(int value) {
        clearUnion();
        memory.setInt(UNION, value);
    }

    /** Writes a {@code sockaddr_in} with {@code address} (big-endian significance) and port 0. */
    void ipv4(int address) {
        clearUnion();
        memory.setShort(UNION, (short) Libc.AF_INET);
        memory.setByte(UNION + 4, (byte) (address >>> 24));
        memory.setByte(UNION + 5, (byte) (address >>> 16));
        memory.setByte(UNION + 6, (byte) (address >>> 8));
        memory.setByte(UNION + 7, (byte) address);
    }

    int ipv4() {
        return (memory.getByte(UNION + 4) & 0xff) << 24 | (memory.getByte(UNION + 5) & 0xff) << 16
                | (memory.getByte(UNION + 6) & 0xff) << 8 | (memory.getByte(UNION + 7) & 0xff);
    }
}
