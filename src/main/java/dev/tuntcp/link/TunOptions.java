package dev.tuntcp.link;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * How to open a TUN device: its name (a pattern such as {@code tt%d} lets the kernel pick), the
 * multi-queue, virtio-net-header and offload flags, the control device path and the allocator
 * packets are read into.
 *
 * @param name           the interface name, 1..15 characters
 * @param multiQueue     IFF_MULTI_QUEUE: each {@link TunDevice#open} call is then one queue of the device
 * @param vnetHeader     IFF_VNET_HDR: every packet carries a 10-byte {@code struct virtio_net_hdr}
 *                       ({@link VnetHeader}) first; the device strips it on read and writes one on send
 * @param offload        TUNSETOFFLOAD(TUN_F_CSUM | TUN_F_TSO4) (implies {@code vnetHeader}): the kernel
 *                       hands over TCP packets with a partial checksum and up to 64 KiB super-segments,
 *                       and accepts both from us ({@link TunDevice#sendSegmented})
 * @param devicePath     normally {@code /dev/net/tun}
 * @param allocator      where read buffers come from; always asked for direct buffers
 * @param maxPacketsPerPoll how many packets one {@link TunDevice#poll()} call reads at most, so one
 *                       busy link cannot starve timers and tasks
 */
public record TunOptions(String name, boolean multiQueue, boolean vnetHeader, boolean offload, String devicePath,
                         ByteBufAllocator allocator, int maxPacketsPerPoll) {

    public static final String DEFAULT_DEVICE_PATH = "/dev/net/tun";
    public static final int DEFAULT_MAX_PACKETS_PER_POLL = 64;

    public TunOptions {
        if (maxPacketsPerPoll < 1) {
            throw new IllegalArgumentException("maxPacketsPerPoll must be at least 1");
        }
        if (offload && !vnetHeader) {
            throw new IllegalArgumentException("offload needs the virtio-net header (IFF_VNET_HDR)");
        }
    }

    /** A single-queue TUN named {@code name} without virtio-net header, pooled direct buffers. */
    public static TunOptions named(String name) {
        return new TunOptions(name, false, false, false, DEFAULT_DEVICE_PATH, PooledByteBufAllocator.DEFAULT,
                DEFAULT_MAX_PACKETS_PER_POLL);
    }

    /** The same options for another name (e.g. the name the kernel gave a {@code tt%d} pattern). */
    public TunOptions withName(String other) {
        return new TunOptions(other, multiQueue, vnetHeader, offload, devicePath, allocator, maxPacketsPerPoll);
    }

    public TunOptions withMultiQueue(boolean on) {
        return new TunOptions(name, on, vnetHeader, offload, devicePath, allocator, maxPacketsPerPoll);
    }

    /** With or without the virtio-net header; turning it off turns offload off too. */
    public TunOptions withVnetHeader(boolean on) {
        return new TunOptions(name, multiQueue, on, offload && on, devicePath, allocator, maxPacketsPerPoll);
    }

    /** Checksum and TCP segmentation offload; turning it on turns the virtio-net header on too. */
    public TunOptions withOffload(boolean on) {
        return new TunOptions(name, multiQueue, vnetHeader || on, on, devicePath, allocator, maxPacketsPerPoll);
    }

    public TunOptions withDevicePath(String path) {
        return new TunOptions(name, multiQueue, vnetHeader, offload, path, allocator, maxPacketsPerPoll);
    }

    public TunOptions withAllocator(ByteBufAllocator alloc) {
        return new TunOptions(name, multiQueue, vnetHeader, offload, devicePath, alloc, maxPacketsPerPoll);
    }

    public TunOptions withMaxPacketsPerPoll(int max) {
        return new TunOptions(name, multiQueue, vnetHeader, offload, devicePath, allocator, max);
    }
}
