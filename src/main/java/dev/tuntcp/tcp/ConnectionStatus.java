package dev.tuntcp.tcp;

/** What STATUS (RFC 9293 §3.10.6) reports about one connection: its state and TCB variables. */
public record ConnectionStatus(
        TcpState state,
        int localAddress,
        int localPort,
        int remoteAddress,
        int remotePort,
        int iss,
        int sndUna,
        int sndNxt,
        int sndWnd,
        int irs,
        int rcvNxt,
        int rcvWnd,
        int sndMss,
        int bytesUnacknowledgedOrUnsent,
        int bytesUnread) {
}
