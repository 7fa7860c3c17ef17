package dev.tuntcp.link;

import dev.tuntcp.stack.TimerQueue;
import io.netty.buffer.ByteBuf;

/**
 * A {@link LinkDevice} decorator that impairs both directions of another device (the TUN path of
 * {@code serve --impair}): packets the stack sends pass the outbound {@link ImpairedPath} before the
 * inner device writes them; packets the inner device reads pass the inbound path before the stack
 * sees them. Each direction draws its own random stream from the impairment's seed.
 *
 * <p>Used on the event-loop thread that runs {@code timers}; closing it closes the inner device.
 */
public final class ImpairedLink implements LinkDevice {
    private final LinkDevice inner;
    private final ImpairedPath outbound;
    private final ImpairedPath inbound;
    private PacketReceiver receiver;

    public ImpairedLink(LinkDevice inner, Impairment impairment, TimerQueue timers) {
        this.inner = inner;
        this.outbound = new ImpairedPath(impairment, 0, timers, inner::send);
        this.inbound = new ImpairedPath(impairment, 1, timers, this::deliver);
        inner.setReceiver(inbound::offer);
    }

    public ImpairedPath outbound() {
        return outbound;
    }

    public ImpairedPath inbound() {
        return inbound;
    }

    @Override
    public int mtu() {
        return inner.mtu();
    }

    @Override
    public void setReceiver(PacketReceiver receiver) {
        this.receiver = receiver;
    }

    /** Takes ownership of {@code packet}: impaired, then written by the inner device (or released). */
    @Override
    public void send(ByteBuf packet) {
        outbound.offer(packet);
    }

    @Override
    public int poll() {
        return inner.poll();
    }

    @Override
    public void close() {
        outbound.close();
        inbound.close();
        inner.close();
    }

    private void deliver(ByteBuf packet) {
        PacketReceiver r = receiver;
        if (r == null) {
            packet.release();
        } else {
            r.onPacket(packet);
        }
    }
}
