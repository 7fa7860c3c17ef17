package dev.tuntcp.tcp;

/**
 * A queue below TCP where sent packets wait before they really leave the host: a TUN device's writer
 * thread ({@code link.TunWriter}) takes packets from the event loop into a ring and writes them a
 * little later. TCP's timers measure from transmission (RFC 6298 §5.1: the retransmission timer runs
 * from when a segment is sent; RFC 8985 §7.2: the probe timeout from the last transmission); a packet
 * still in this queue has not been transmitted yet, so a timer that expires while a connection's
 * latest packet waits here is re-armed instead of fired (as Linux does for a segment still in the
 * host's qdisc or driver queue, {@code skb_still_in_host_queue}).
 *
 * <p>Tickets: {@link #queued()} counts the packets put into the queue so far, {@link #departed()} those
 * that have left it; both only grow. A packet whose ticket (the value of {@link #queued()} right
 * after it was sent) is above {@link #departed()} is still waiting. A link without such a queue
 * writes before {@code send} returns: {@link #NONE}, whose counts stay 0.
 */
public interface TransmitQueue {
    /** Packets put into the queue so far. The sending (event-loop) thread calls this after every send. */
    long queued();

    /** Of those, the packets that have left the queue (written); may be advanced by another thread. */
    long departed();

    /** No queue: every packet has left by the time {@code send} returns. */
    TransmitQueue NONE = new TransmitQueue() {
        @Override
        public long queued() {
            return 0;
        }

        @Override
        public long departed() {
            return 0;
        }
    };
}
