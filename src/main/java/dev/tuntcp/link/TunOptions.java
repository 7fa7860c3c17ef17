package dev.tuntcp.link;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * How to open a TUN device: its name (a pattern such as {@code tt%d} lets the kernel pick), the
 * multi-queue and virtio-net-header flags (plumbed for later use), the control device path and the
 * allocator packets are read into.
 *
 * @param name           the interface name, 1..15 characters
 * @param multiQueue     IFF_MULTI_QUEUE: each {@link TunDevice#open} call is then one queue of the device
 * @param vnetHeader     IFF_VNET_HDR: every packet carries a 10-byte {@code struct virtio_net_hdr}
 *                       first; the device strips it on read and writes a zeroed one on send
 * @param devicePath     normally {@code /dev/net/tun}
 * @param allocator      where read buffers come from; always asked for direct buffers
 * @param maxPacketsPerPoll how many packets one {@link TunDevice#poll()} call reads at most, so one
 *                       busy link cannot starve timers and tasks
 */
public record TunOptions(String name, boolean multiQueue, boolean vnetHeader, String devicePath,
                         ByteBufAllocator allocator, int maxPacketsPerPoll) {

    public static final String DEFAULT_DEVICE_PATH = "/dev/net/tun";
    public static final int DEFAULT_MAX_PACKETS_PER_POLL = 64;

    public TunOptions {
        if (maxPacketsPerPoll < 1) {
            throw new IllegalArgumentException("maxPacketsPerPoll must be at least 1");
        }
    }

    /** A single-queue TUN named {@code name} without virtio-net header, pooled direct buffers. */
    public static TunOptions named(String name) {
        return new TunOptions(name, false, false, DEFAULT_DEVICE_PATH, PooledByteBufAllocator.DEFAULT,
                DEFAULT_MAX_PACKETS_PER_POLL);
    }

    public TunOptions withMultiQueue(boolean on) {
        return new TunOptions(name, on, vnetHeader, devicePath, allocator, maxPacketsPerPoll);
    }

    public TunOptions withVnetHeader(boolean on) {
        return new TunOptions(name, multiQueue, on, devicePath, allocator, maxPacketsPerPoll);
    }

    public TunOptions withDevicePath(String path) {
        return new TunOptions(name, multiQueue, vnetHeader, path, allocator, maxPacketsPerPoll);
    }

    public TunOptions withAllocator(ByteBufAllocator alloc) {
        return new TunOptions(name, multiQueue, vnetHeader, devicePath, alloc, maxPacketsPerPoll);
    }

    public TunOptions withMaxPacketsPerPoll(int max) {
        return new TunOptions(name, multiQueue, vnetHeader, devicePath, allocator, max);
    }
}
