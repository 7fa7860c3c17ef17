package dev.tuntcp.tcp;

import dev.tuntcp.socket.ConnectionHandler;
import dev.tuntcp.socket.ConnectionHandler.CloseReason;
import dev.tuntcp.socket.TcpChannel;
import dev.tuntcp.wire.SeqNum;
import io.netty.buffer.ByteBuf;

/**
 * One TCP connection: the transmission control block of RFC 9293 §3.3.1 (its variables carry the
 * RFC's names) and the user calls of §3.10 (SEND, RECEIVE, CLOSE, ABORT, STATUS) behind the
 * {@link TcpChannel} the application sees. Arriving segments are processed by
 * {@link SegmentArrival}; segments are formed by {@link SegmentSender}.
 *
 * <p>Owned by the event-loop thread: every method must be called there.
 */
public final class Connection implements TcpChannel {
    final TcpLayer layer;
    final int localAddress;
    final int localPort;
    final int remoteAddress;
    final int remotePort;
    /** The listener of a passive OPEN, null for an active one. */
    final Listener listener;

    TcpState state = TcpState.CLOSED;

    // --- Send sequence variables (RFC 9293 §3.3.1, Figure 3) --------------------------------------
    /** ISS: initial send sequence number. */
    int iss;
    /** SND.UNA: oldest unacknowledged sequence number. */
    int sndUna;
    /** SND.NXT: next sequence number to send (moved back to SND.UNA on a retransmission timeout). */
    int sndNxt;
    /** The highest SND.NXT ever reached (BSD's snd_max): an ACK up to here acknowledges sent data. */
    int sndMax;
    /** SND.WND: the peer's window in bytes (already scaled). */
    int sndWnd;
    /** SND.WL1, SND.WL2: SEG.SEQ and SEG.ACK of the segment that last updated SND.WND. */
    int sndWl1;
    int sndWl2;
    /** MAX.SND.WND (RFC 5961 §5): the largest window the peer has offered. */
    int maxSndWnd;
    /** Eff.snd.MSS (RFC 9293 §3.7.1): the largest payload we send to this peer. */
    int sndMss;
    /** The last ICMP soft error about this connection, in words ({@link #softError()}), or null. */
    String softError;
    /** Window-scale shifts (RFC 7323); 0 until scaling is negotiated. */
    int sndWscale;
    int rcvWscale;

    // --- Options in use (RFC 7323, RFC 2018), settled by the SYNs: see OptionNegotiation ----------
    /** Both SYNs carried the window-scale option (the shifts above may still be 0). */
    boolean windowScaleNegotiated;
    /** Both SYNs carried SACK-permitted: the peer's SACK blocks count, and we send ours. */
    boolean sackPermitted;
    /** The timestamps option: TSval clock, TS.Recent, PAWS, RTTM (RFC 7323 §3-§5). */
    final Timestamps timestamps;
    /** Receive side: data held beyond RCV.NXT, the SACK blocks reporting it, the delayed ACK. */
    final OutOfOrderQueue outOfOrder;
    final SackBlocks sackBlocks = new SackBlocks();
    final DelayedAck delayedAck;
    /** Receive-buffer autotuning toward the bandwidth-delay product (Linux's DRS). */
    final ReceiveAutotune autotune;

    // --- Receive sequence variables (RFC 9293 §3.3.1, Figure 4) -----------------------------------
    /** IRS: initial receive sequence number. */
    int irs;
    /** RCV.NXT: next sequence number expected. */
    int rcvNxt;
    /** RCV.UP: receive urgent pointer (tracked; urgent data is delivered inline, RFC 6093). */
    int rcvUp;
    /** The right edge of the window we last advertised (RCV.NXT + RCV.WND then). */
    int rcvAdvertisedEdge;

    /** The user called CLOSE (shutdownOutput/close): a FIN follows the queued data. */
    boolean finQueued;
    /** The peer's FIN has been received (its sequence number is behind RCV.NXT). */
    boolean finReceived;
    /** The user called close(): no more input is wanted (RFC 1122 §4.2.2.13). */
    boolean inputClosed;
    /** An ACK must go out even if there is no data to carry it. */
    boolean ackNow;
    /** Listed in the layer's input batch: an ACK for in-order data waits for the batch's end. */
    boolean batchAckOwed;
    /** TCP_NODELAY: Nagle's algorithm off for this connection ({@link SendPolicy}). */
    boolean noDelay;
    /** The end of the last data segment sent shorter than the MSS (Linux's snd_sml), for Nagle. */
    int sndSmallEnd;
    /** SO_LINGER {on, 0}: the application's close() aborts ({@link UserCalls#close}). */
    boolean abortOnClose;
    /** R2 for data (RFC 9293 §3.8.3): the stack's default unless the application set its own. */
    int dataRetries;
    /** The {@link TransmitQueue} ticket of the latest data, SYN or FIN segment sent ({@link TcpLayer#stillInHostQueue}). */
    long transmitTicket;

    final SendBuffer sendBuffer;
    final ReceiveBuffer receiveBuffer;
    final RetransmitTimer retransmitTimer;
    /** Congestion window, fast retransmit and recovery, SACK scoreboard, RTT timing (the sender's side). */
    final LossRecovery recovery;
    final ConnectionTimer closeTimer;
    final PersistTimer persistTimer;
    final KeepaliveTimer keepalive;
    final AppEvents events = new AppEvents();

    Connection(TcpLayer layer, int localAddress, int localPort, int remoteAddress, int remotePort,
               Listener listener) {
        this.layer = layer;
        this.localAddress = localAddress;
        this.localPort = localPort;
        this.remoteAddress = remoteAddress;
        this.remotePort = remotePort;
        this.listener = listener;
        TcpConfig config = layer.config();
        this.dataRetries = config.dataRetries();
        this.sendBuffer = new SendBuffer(config.sendBufferSize());
        this.receiveBuffer = new ReceiveBuffer(config.receiveBufferSize());
        this.retransmitTimer = new RetransmitTimer(this);
        this.recovery = new LossRecovery(this, config.congestionControl().create());
        this.closeTimer = new ConnectionTimer(this);
        this.persistTimer = new PersistTimer(this);
        this.keepalive = new KeepaliveTimer(this);
        this.noDelay = config.noDelay();
        this.sndMss = Math.min(config.mss(), TcpLayer.DEFAULT_SND_MSS);
        this.timestamps = new Timestamps(this);
        this.outOfOrder = new OutOfOrderQueue(layer.limits(), config.outOfOrderLimit());
        this.autotune = new ReceiveAutotune(this);
        this.delayedAck = new DelayedAck(this);
    }

    /** Sets ISS and the send variables that follow from it (RFC 9293 §3.10.1 OPEN, §3.10.7.2). */
    void initSendSequence(int initialSequence) {
        iss = initialSequence;
        sndUna = iss;
        sndNxt = iss + 1;
        sndMax = iss + 1;
        sndSmallEnd = iss + 1;
        sendBuffer.start(iss + 1);
        recovery.synSent(iss);
    }

    // --- state ------------------------------------------------------------------------------------

    void setState(TcpState to) {
        TcpState from = state;
        if (from == to) {
            return;
        }
        state = to;
        MibTransitions.count(layer, from, to);
        if (from == TcpState.SYN_RECEIVED && listener != null) {
            listener.halfOpenRemoved();
        }
        layer.traceStateChange(this, from, to);
    }

    /**
     * The handshake is complete (RFC 9293 §3.10.7.3 fourth, §3.10.7.4 fifth). A passive connection
     * gets its handler now; a CLOSE issued in SYN-RECEIVED or SYN-SENT is carried out now (§3.10.4).
     * Returns false if the connection was refused by the application and reset.
     */
    boolean enterEstablished() {
        setState(TcpState.ESTABLISHED);
        layer.count(TcpStat.ESTABLISHED);
        recovery.start();
        if (events.handler() == null) {
            ConnectionHandler h = null;
            try {
                h = listener == null ? null : listener.factory().newHandler();
            } catch (RuntimeException e) {
                h = null;
            }
            if (h == null) {
                layer.drop(this, null, TcpDrop.HANDLER_REFUSED);
                SegmentSender.sendReset(this);
                terminate(null);
                return false;
            }
            events.handler(h);
        }
        events.opened();
        if (finQueued) {
            setState(TcpState.FIN_WAIT_1);
        }
        return true;
    }

    /**
     * Enters CLOSED and deletes the TCB (RFC 9293 §3.10.7): out of the table, timers stopped,
     * unsent data gone. Received data stays readable after a clean close. {@code reason} is what the
     * application hears, or null when it hears nothing (it never saw the connection, or already heard).
     */
    void terminate(CloseReason reason) {
        setState(TcpState.CLOSED);
        layer.removeConnection(this);
        retransmitTimer.cancel();
        recovery.cancelTimers();
        closeTimer.cancel();
        persistTimer.stop();
        keepalive.cancel();
        releaseReceiveQueues();
        sendBuffer.release();
        if (reason != null && reason != CloseReason.CLOSED) {
            receiveBuffer.clear(); // RFC 9293 §3.10.7.4: on reset "all segment queues should be flushed"
        }
        if (reason != null) {
            events.closed(reason);
        }
    }

    /** Enters TIME-WAIT: both FINs are done, the application hears CLOSED, 2×MSL starts (§3.10.7.4). */
    void enterTimeWait() {
        setState(TcpState.TIME_WAIT);
        retransmitTimer.cancel();
        recovery.cancelTimers();
        persistTimer.stop();
        keepalive.cancel();
        releaseReceiveQueues();
        sendBuffer.release();
        closeTimer.start(TcpTimerKind.TIME_WAIT, layer.config().timeWaitNanos());
        events.closed(CloseReason.CLOSED);
    }

    /** Out-of-order data, SACK state and the delayed ACK end with the connection or its input. */
    private void releaseReceiveQueues() {
        outOfOrder.clear();
        sackBlocks.clear();
        delayedAck.cancel();
    }

    /** The peer's FIN has arrived and been acknowledged. */
    void finArrived() {
        finReceived = true;
        events.readable();
    }

    /** FIN-WAIT-2 reached; an orphan (close() called) is not kept there forever. */
    void enterFinWait2() {
        setState(TcpState.FIN_WAIT_2);
        if (inputClosed) {
            closeTimer.start(TcpTimerKind.FIN_WAIT_2, layer.config().finWait2TimeoutNanos());
        }
    }

    // --- sequence-space helpers ------------------------------------------------------------------

    /** The sequence number of our FIN (valid once CLOSE was called): just after the queued data. */
    int finSeq() {
        return sendBuffer.endSeq();
    }

    /** Our FIN has been sent (SND.MAX is past it). */
    boolean finSent() {
        return finQueued && SeqNum.gt(sndMax, finSeq());
    }

    /** Our FIN has been acknowledged (SND.UNA is past it). */
    boolean finAcked() {
        return finQueued && SeqNum.gt(sndUna, finSeq());
    }

    /**
     * A Too Big message lowered {@link #sndMss} ({@link IcmpErrorArrival#tooBig}): go back to SND.UNA
     * and send the flight again in segments of the new size, within the congestion window as it is.
     */
    void pathMtuReduced() {
        switch (state) {
            case ESTABLISHED, CLOSE_WAIT, FIN_WAIT_1, CLOSING, LAST_ACK -> {
                if (sndUna != sndMax) {
                    recovery.onPathMtuReduced();
                    sndNxt = sndUna;
                    SegmentSender.output(this, false);
                }
            }
            default -> {
                // SYN-SENT / SYN-RECEIVED: nothing but the SYN is in flight; data will use the new MSS.
            }
        }
        events.deliver(this);
    }

    @Override
    public String softError() {
        return softError;
    }

    /**
     * RCV.WND: the free space of the receive buffer, as far as the window field can express it. Text
     * lent to a payload handler and not yet delivered counts as buffered (if the handler leaves it
     * unread it is copied in), so the window never offers room that is not there.
     */
    int rcvWnd() {
        return Math.min(receiveBuffer.free() - events.payloadPending(), 65535 << rcvWscale);
    }

    /** A payload handler read {@code n} bytes of lent text: as a read, for autotuning. */
    void payloadTaken(int n) {
        if (n > 0 && UserCalls.peerMaySend(this)) {
            autotune.applicationRead(n);
        }
    }

    /**
     * Lent text the payload handler left unread: copied into the receive buffer (where the window
     * kept room for it), unless the application has closed its input or the connection is gone, and
     * then dropped like any unread data. Returns true if it was kept.
     */
    boolean keepText(ByteBuf data, int index, int length) {
        if (inputClosed || state == TcpState.CLOSED) {
            return false;
        }
        receiveBuffer.append(data, index, length);
        return true;
    }

    /** The peer's MSS option (RFC 9293 §3.7.1: 536 when absent), clamped to what we can send. */
    void setPeerMss(int optionValue) {
        int peer = optionValue < 0 ? TcpLayer.DEFAULT_SND_MSS : Math.max(optionValue, TcpLayer.MIN_SND_MSS);
        sndMss = Math.min(peer, layer.config().mss());
    }

    // --- timers ---------------------------------------------------------------------------------

    /** The retransmission timer expired (RFC 9293 §3.8.1; RFC 6298 §5.4-5.6 back off and resend). */
    void onRetransmitTimeout() {
        layer.traceTimer(this, TcpTimerKind.RETRANSMIT);
        layer.count(TcpStat.RETRANSMIT_TIMEOUTS);
        switch (state) {
            case SYN_SENT, SYN_RECEIVED -> {
                if (!retransmitTimer.backOff(layer.config().synRetries())) {
                    layer.count(TcpStat.TIMED_OUT);
                    // A passive half-open connection just returns to LISTEN: no application knows it.
                    terminate(listener != null && state == TcpState.SYN_RECEIVED ? null : CloseReason.TIMED_OUT);
                } else {
                    layer.count(TcpStat.RETRANSMITS);
                    recovery.synRetransmitted();
                    if (state == TcpState.SYN_SENT) {
                        SegmentSender.sendSyn(this);
                    } else {
                        SegmentSender.sendSynAck(this);
                    }
                    retransmitTimer.restart();
                }
            }
            case ESTABLISHED, CLOSE_WAIT, FIN_WAIT_1, CLOSING, LAST_ACK -> {
                if (!retransmitTimer.backOff(dataRetries)) {
                    layer.count(TcpStat.TIMED_OUT);
                    terminate(CloseReason.TIMED_OUT);
                } else {
                    // Go back to the oldest unacknowledged octet and send again; at least one octet
                    // goes out even into a zero window, which makes this timer a window probe too.
                    recovery.onRetransmitTimeout(retransmitTimer.retries() == 1);
                    sndNxt = sndUna;
                    SegmentSender.output(this, true);
                    retransmitTimer.restart();
                }
            }
            default -> {
            }
        }
        events.deliver(this);
    }

    /**
     * An RTT measurement from the timestamps option (RFC 7323 §4, RTTM), for the receive side to call
     * once per ACK that acknowledges new data: {@code nanos} is now minus the time our TSecr'd segment
     * was sent. From the first such sample on, segments are no longer timed one at a time.
     */
    void rttSample(long nanos) {
        retransmitTimer.rttSample(recovery.timestampSample(nanos)); // bounded by the send times it knows
    }

    /** TIME-WAIT or the FIN-WAIT-2 orphan timeout expired: delete the TCB. */
    void onCloseTimer(TcpTimerKind kind) {
        layer.traceTimer(this, kind);
        if (kind == TcpTimerKind.TIME_WAIT && state == TcpState.TIME_WAIT) {
            terminate(null);
        } else if (kind == TcpTimerKind.FIN_WAIT_2 && state == TcpState.FIN_WAIT_2) {
            terminate(CloseReason.TIMED_OUT);
        }
        events.deliver(this);
    }

    /** A handler threw: abort this connection only. */
    void handlerFailed(Throwable error) {
        layer.drop(this, null, TcpDrop.HANDLER_FAILED);
        if (state != TcpState.CLOSED) {
            UserCalls.abort(this);
        }
    }

    // --- TcpChannel: the user calls of RFC 9293 §3.10 -----------------------------------------------

    @Override
    public ByteBuf read(int maxBytes) {
        return UserCalls.receive(this, maxBytes);
    }

    @Override
    public int readableBytes() {
        return receiveBuffer.size();
    }

    @Override
    public boolean isInputShutdown() {
        return receiveBuffer.size() == 0 && (finReceived || state == TcpState.CLOSED);
    }

    /**
     * SEND (RFC 9293 §3.10.2). Returns the bytes taken: 0 once the connection can no longer send
     * (after shutdownOutput, close or abort, or once closed), and then no onWritable follows.
     */
    @Override
    public int write(ByteBuf data) {
        return UserCalls.send(this, data);
    }

    @Override
    public int writableBytes() {
        return UserCalls.canSend(this) ? sendBuffer.free() : 0;
    }

    @Override
    public void shutdownOutput() {
        UserCalls.close(this, false);
    }

    @Override
    public void close() {
        UserCalls.close(this, true);
    }

    @Override
    public void abort() {
        UserCalls.abort(this);
    }

    @Override
    public void abortAcceptQueueOverflow() {
        layer.count(TcpStat.ACCEPT_QUEUE_OVERFLOWS);
        UserCalls.abort(this);
    }

    @Override
    public void setTcpNoDelay(boolean on) {
        noDelay = on;
        if (on) {
            SegmentSender.output(this, false); // what Nagle was holding goes now (as Linux does)
            events.deliver(this);
        }
    }

    @Override
    public void setKeepAlive(dev.tuntcp.socket.KeepAlive keepAlive) {
        this.keepalive.configure(java.util.Objects.requireNonNull(keepAlive, "keepAlive (use KeepAlive.OFF)"));
    }

    @Override
    public void setRetransmissionLimit(int retries) {
        if (retries < 0) {
            throw new IllegalArgumentException("retransmission limit must be >= 0: " + retries);
        }
        dataRetries = retries;
    }

    @Override
    public void setAbortOnClose(boolean on) {
        abortOnClose = on;
    }

    @Override
    public String state() {
        return state.rfcName();
    }

    /** STATUS (RFC 9293 §3.10.6): the state. */
    public TcpState tcpState() {
        return state;
    }

    /** STATUS (RFC 9293 §3.10.6): a snapshot of the TCB's variables (allocates; not for the hot path). */
    public ConnectionStatus status() {
        return new ConnectionStatus(state, localAddress, localPort, remoteAddress, remotePort, iss, sndUna,
                sndNxt, sndWnd, irs, rcvNxt, rcvWnd(), sndMss, sendBuffer.size(), receiveBuffer.size());
    }

    @Override
    public int localAddress() {
        return localAddress;
    }

    @Override
    public int localPort() {
        return localPort;
    }

    @Override
    public int remoteAddress() {
        return remoteAddress;
    }

    @Override
    public int remotePort() {
        return remotePort;
    }

    /** ISS and IRS, for traces that print relative sequence numbers. */
    public int initialSendSequence() {
        return iss;
    }

    public int initialReceiveSequence() {
        return irs;
    }

    /** The handler the application supplied (null for a passive connection before it is established). */
    public ConnectionHandler handler() {
        return events.handler();
    }

    @Override
    public String toString() {
        return "Connection[" + TcpLayer.formatAddress(localAddress) + ':' + localPort + " <-> "
                + TcpLayer.formatAddress(remoteAddress) + ':' + remotePort + ' ' + state.rfcName() + ']';
    }
}
