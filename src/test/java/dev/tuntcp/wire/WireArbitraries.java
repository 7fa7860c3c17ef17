package dev.tuntcp.wire;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** jqwik generators for wire values. */
final class WireArbitraries {
    private WireArbitraries() {
    }

    static Arbitrary<Integer> u16() {
        return Arbitraries.integers().between(0, 0xffff);
    }

    static Arbitrary<Integer> anyInt() {
        return Arbitraries.integers();
    }

    static Arbitrary<TcpOption> option() {
        Arbitrary<TcpOption.SackBlock> block = Combinators.combine(anyInt(), anyInt()).as(TcpOption.SackBlock::new);
        return Arbitraries.oneOf(
                Arbitraries.just(new TcpOption.Nop()),
                Arbitraries.just(new TcpOption.Eol()),
                u16().map(TcpOption.Mss::new),
                Arbitraries.integers().between(0, 255).map(TcpOption.WindowScale::new),
                Arbitraries.just(new TcpOption.SackPermitted()),
                block.list().ofMinSize(1).ofMaxSize(4).map(TcpOption.Sack::new),
                Combinators.combine(anyInt(), anyInt()).as(TcpOption.Timestamps::new),
                Combinators.combine(Arbitraries.integers().between(6, 255).filter(k -> k != 8),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(12)).as(TcpOption.Unknown::new));
    }

    /**
     * Option lists a sender may legally emit: at most one MSS, EOL only last, at most 40 bytes once
     * padded. Any order and mix otherwise.
     */
    static Arbitrary<List<TcpOption>> legalOptionList() {
        return option().list().ofMaxSize(14).map(WireArbitraries::legalise);
    }

    private static List<TcpOption> legalise(List<TcpOption> raw) {
        List<TcpOption> out = new ArrayList<>();
        boolean mss = false;
        for (TcpOption o : raw) {
            if (o instanceof TcpOption.Eol) {
                continue;
            }
            if (o instanceof TcpOption.Mss) {
                if (mss) {
                    continue;
                }
                mss = true;
            }
            out.add(o);
        }
        if (raw.size() % 3 == 1) { // sometimes end the list with EOL
            out.add(new TcpOption.Eol());
        }
        while (TcpOptionList.paddedLength(out) > TcpOptions.MAX_LENGTH) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    static Arbitrary<TcpRepr> tcpRepr() {
        return Combinators.combine(u16(), u16(), anyInt(), anyInt(), Arbitraries.integers().between(0, TcpFlags.MASK),
                        u16(), u16(), legalOptionList())
                .flatAs((sp, dp, seq, ack, flags, win, urg, opts) -> Arbitraries.bytes().array(byte[].class)
                        .ofMaxSize(300).map(p -> new TcpRepr(sp, dp, seq, ack, flags, win, urg, opts, p)));
    }

    static Arbitrary<TcpOptions> tcpOptionsHolder() {
        return Combinators.combine(
                u16().injectNull(0.3), Arbitraries.integers().between(0, 14).injectNull(0.3),
                Arbitraries.of(true, false), Combinators.combine(anyInt(), anyInt()).as((a, b) -> new int[] {a, b}).injectNull(0.3),
                Combinators.combine(anyInt(), anyInt()).as((a, b) -> new int[] {a, b}).list().ofMaxSize(4))
                .as((mss, ws, sackOk, ts, blocks) -> {
                    TcpOptions o = new TcpOptions();
                    if (mss != null) {
                        o.mss(mss);
                    }
                    if (ws != null) {
                        o.windowScale(ws);
                    }
                    o.sackPermitted(sackOk);
                    if (ts != null) {
                        o.timestamps(ts[0], ts[1]);
                    }
                    for (int[] b : blocks) {
                        o.addSackBlock(b[0], b[1]);
                    }
                    return o;
                });
    }
}
