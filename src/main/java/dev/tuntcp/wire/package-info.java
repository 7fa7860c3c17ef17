/**
 * The wire layer: IPv4 (RFC 791), ICMP (RFC 792) and TCP (RFC 9293) headers and TCP options
 * (RFC 7323, RFC 2018) over Netty {@link io.netty.buffer.ByteBuf}s. It knows nothing of
 * connections.
 *
 * <h2>Per-packet path (allocation free)</h2>
 * Reusable flyweights {@link dev.tuntcp.wire.Ipv4Header}, {@link dev.tuntcp.wire.TcpHeader},
 * {@link dev.tuntcp.wire.IcmpEcho} and the option holder {@link dev.tuntcp.wire.TcpOptions}:
 * {@code wrap}/{@code read} validate and return a {@link dev.tuntcp.wire.ParseError} —
 * {@code NONE}, or the reason to count — and never throw on bad input.
 * {@link dev.tuntcp.wire.TcpControl#classify} names illegal flag combinations (SYN+FIN, null and Xmas
 * scans…) without rejecting them. {@link dev.tuntcp.wire.SegmentBuilder} writes a whole IPv4+TCP
 * packet, {@link dev.tuntcp.wire.IcmpBuilder} echo replies and destination-unreachable messages,
 * {@link dev.tuntcp.wire.Ipv4HeaderWriter} a bare IPv4 header; all compute their checksums with
 * {@link dev.tuntcp.wire.InternetChecksum}.
 *
 * <h2>Values (tests, scripted segments, traces)</h2>
 * Records {@link dev.tuntcp.wire.Ipv4Repr}, {@link dev.tuntcp.wire.TcpRepr},
 * {@link dev.tuntcp.wire.TcpOption} (in wire order, see {@link dev.tuntcp.wire.TcpOptionList}) and
 * {@link dev.tuntcp.wire.TcpPacketRepr} with {@code parse}/{@code emit} that round-trip;
 * {@link dev.tuntcp.wire.TcpFormat} prints a segment the way tcpdump does.
 *
 * <h2>Ownership</h2>
 * Nothing here retains or releases a buffer: the caller owns every ByteBuf it passes in and keeps it
 * alive (and its capacity unchanged) while a view is wrapped around it.
 */
package dev.tuntcp.wire;
