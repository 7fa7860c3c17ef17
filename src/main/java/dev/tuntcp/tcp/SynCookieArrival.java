package dev.tuntcp.tcp;

/**
 * The LISTEN-state side of SYN cookies (RFC 4987 §3.6): the stateless SYN/ACK for a SYN that found
 * the half-open queue full, and the ACK that returns a cookie and becomes a connection. The
 * connection rebuilt from a cookie is an ordinary one: it enters SYN-RECEIVED as if its SYN had been
 * queued, and the returning ACK is then processed as RFC 9293 §3.10.7.4 says (it completes the
 * handshake and may carry data).
 */
final class SynCookieArrival {
    private SynCookieArrival() {
    }

    /**
     * {@code <SEQ=cookie><ACK=SEG.SEQ+1><CTL=SYN,ACK>} with our MSS and, when the SYN carried
     * timestamps, window scale and SACK-permitted as offered, recorded in the TSval (see {@link
     * SynCookieOptions}); nothing we could not rebuild.
     */
    static void sendCookie(TcpLayer layer, Listener listener, Segment syn) {
        int cookie = layer.synCookies().make(syn.destinationAddress, syn.destinationPort, syn.sourceAddress,
                syn.sourcePort, syn.seq, SynCookies.mssIndex(syn.mss));
        listener.cookieSent(layer.timers().clock().nanos());
        layer.count(TcpStat.SYNCOOKIES_SENT);
        if (syn.dataLength > 0) {
            layer.drop(null, syn, TcpDrop.SYN_DATA_IGNORED);
        }
        Segment out = layer.outReply(syn);
        out.seq = cookie;
        out.ack = syn.seq + 1;
        out.flags = Segment.SYN | Segment.ACK;
        out.window = SynCookies.synAckWindow(layer.config());
        out.mss = layer.config().mss();
        TcpConfig config = layer.config();
        if (config.timestamps() && syn.hasTimestamps) {
            int peerShift = config.windowScaling() ? syn.windowScale : -1;
            boolean sack = config.sack() && syn.sackPermitted;
            if (peerShift >= 0) {
                out.windowScale = OptionNegotiation.ourWindowScale(config);
            }
            out.sackPermitted = sack;
            out.hasTimestamps = true;
            int offset = Timestamps.offset(syn.destinationAddress, syn.destinationPort, syn.sourceAddress, syn.sourcePort);
            out.tsVal = SynCookieOptions.stamp(Timestamps.at(layer.timers().clock().nanos(), offset),
                    SynCookieOptions.encode(peerShift, sack));
            out.tsEcr = syn.tsVal; // RFC 7323 §4.3: echo the SYN's TSval
        }
        layer.emit(null, out);
    }

    /**
     * An ACK (without SYN) reached {@code listener}. If the listener sent cookies recently and SEG.ACK - 1
     * is a live cookie for this 4-tuple and SEG.SEQ - 1, creates the connection, processes {@code ack}
     * on it and returns true. Returns false when the segment was no cookie ACK (the caller answers it
     * as LISTEN does); a valid cookie refused by a resource bound is dropped, reset and reported true.
     */
    static boolean tryComplete(TcpLayer layer, Listener listener, Segment ack) {
        if (!layer.config().synCookies() || ack.has(Segment.RST)
                || !listener.cookiesRecentlySent(layer.timers().clock().nanos())) {
            return false;
        }
        int peerIsn = ack.seq - 1;
        int iss = ack.ack - 1;
        int mssIndex = layer.synCookies().check(ack.destinationAddress, ack.destinationPort, ack.sourceAddress,
                ack.sourcePort, peerIsn, iss);
        if (mssIndex < 0) {
            layer.count(TcpStat.SYNCOOKIES_FAILED);
            return false;
        }
        Connection c = new Connection(layer, ack.destinationAddress, ack.destinationPort, ack.sourceAddress,
                ack.sourcePort, listener);
        c.irs = peerIsn;
        c.rcvNxt = ack.seq;
        c.initSendSequence(iss);
        c.setPeerMss(SynCookies.MSS_TABLE[mssIndex]);
        restoreOptions(layer, c, ack);
        // What the cookie SYN/ACK offered: its (unscaled) window's right edge, and SND.WL1/WL2 as the
        // LISTEN processing would have set them; the ACK's own window is taken when it is processed.
        c.rcvAdvertisedEdge = ack.seq + SynCookies.synAckWindow(layer.config());
        c.sndWl1 = peerIsn;
        c.sndWl2 = iss;
        if (!layer.admit(c, ack)) {
            layer.drop(null, ack, TcpDrop.SYNCOOKIE_REFUSED);
            SegmentSender.resetReply(layer, null, ack);
            return true;
        }
        layer.count(TcpStat.SYNCOOKIES_RECV);
        layer.count(TcpStat.PASSIVE_OPENS);
        listener.halfOpenAdded();
        c.state = TcpState.LISTEN;
        c.setState(TcpState.SYN_RECEIVED);
        SynchronizedArrival.process(c, ack);
        c.events.deliver(c);
        return true;
    }

    /**
     * The options the cookie SYN/ACK offered, read back from the ACK's TSecr (RFC 7323 §3.2: a TSecr
     * is echoed in every ACK once both SYNs carried timestamps). An ACK without timestamps, or with
     * TSecr 0, means the cookie carried none: the connection runs without options, as its SYN/ACK said.
     */
    private static void restoreOptions(TcpLayer layer, Connection c, Segment ack) {
        TcpConfig config = layer.config();
        if (!config.timestamps() || !ack.hasTimestamps || ack.tsEcr == 0) {
            return;
        }
        // As if the peer's SYN had arrived with what the cookie recorded: the rules of a queued SYN.
        Segment syn = new Segment().clear();
        syn.windowScale = config.windowScaling() ? SynCookieOptions.windowScale(ack.tsEcr) : -1;
        syn.sackPermitted = SynCookieOptions.sackPermitted(ack.tsEcr);
        syn.hasTimestamps = true;
        syn.tsVal = ack.tsVal;
        OptionNegotiation.peerSyn(c, syn);
    }
}
