/**
 * TCP (RFC 9293): the connection state machine, its buffers and timers, and the glue to the wire.
 *
 * <h2>Shape</h2>
 * The state machine never touches raw bytes (DESIGN §7): {@link dev.tuntcp.tcp.TcpInput} validates
 * a segment from IP (structure, checksum, options, flags, addresses) into a reusable
 * {@link dev.tuntcp.tcp.Segment} and calls {@link dev.tuntcp.tcp.TcpLayer#input}; segments leave
 * through a {@link dev.tuntcp.tcp.TcpOutput} — {@link dev.tuntcp.tcp.WireTcpOutput} in the stack
 * (SegmentBuilder into a pooled buffer, handed to IPv4 output), a capturing lambda in the scripted
 * tests. SEGMENT ARRIVES is split as RFC 9293 §3.10.7 is: {@link dev.tuntcp.tcp.SegmentArrival}
 * (dispatch, CLOSED, TIME-WAIT reopening), {@link dev.tuntcp.tcp.ListenArrival},
 * {@link dev.tuntcp.tcp.SynSentArrival}, {@link dev.tuntcp.tcp.SynchronizedArrival} (sequence test,
 * RST, SYN, URG, text, FIN) with {@link dev.tuntcp.tcp.AckArrival} (the ACK step); the user calls
 * are in {@link dev.tuntcp.tcp.UserCalls}; segments are formed by
 * {@link dev.tuntcp.tcp.SegmentSender}. {@link dev.tuntcp.tcp.Connection} is the TCB (RFC variable
 * names) and the application's {@link dev.tuntcp.socket.TcpChannel}.
 *
 * <h2>Using it</h2>
 * <pre>{@code
 * TcpLayer tcp = new TcpLayer(new TcpConfig().mss(mtu - 40), loop.timers(), counters,
 *         new WireTcpOutput(alloc, ipv4Output::send));
 * TcpInput input = new TcpInput(tcp);   // IP's protocol-6 hook calls input.receive(src, dst, buf, off, len)
 * tcp.listen(0, 80, () -> new MyHandler());                    // passive OPEN (0 = any local address)
 * Connection c = tcp.connect(localAddr, remoteAddr, 7, handler);   // active OPEN from an ephemeral port
 * tcp.setTraceListener(listener);                               // --trace, ladders; null = off, no cost
 * }</pre>
 * ({@code stack.TcpStack} does exactly this wiring on a {@code Stack}.) Everything runs on the event
 * loop. Application callbacks are deferred until a segment, timer or user call has been processed
 * ({@link dev.tuntcp.tcp.AppEvents}); a handler that throws loses only its own connection.
 *
 * <h2>Scope today</h2>
 * All eleven states, RFC 5961 RST/SYN/ACK checks (without challenge-ACK rate limiting), MSS, the
 * RFC 6298 RTO ({@link dev.tuntcp.tcp.RttEstimator}, Karn, backoff, retry limit), congestion control
 * behind {@link dev.tuntcp.tcp.cc.CongestionControl} (NewReno, CUBIC) with fast retransmit, RFC 3042
 * limited transmit, RFC 6582 partial ACKs and RFC 6675 SACK recovery ({@link dev.tuntcp.tcp.LossRecovery},
 * {@link dev.tuntcp.tcp.SackScoreboard}),
 * out-of-order data dropped and acknowledged, TIME-WAIT of 2×MSL with RFC 6191-style reopening,
 * RFC 6528 ISNs. Options ({@link dev.tuntcp.tcp.OptionNegotiation}): RFC 7323 window scale (a
 * receive buffer above 64 KiB) and timestamps ({@link dev.tuntcp.tcp.Timestamps}: PAWS, TS.Recent,
 * RTT samples through {@code Connection.rttSample}), RFC 2018 SACK-permitted. An out-of-order
 * queue, sending SACK blocks and delayed ACKs come with the receive-side reliability work.
 */
package dev.tuntcp.tcp;
