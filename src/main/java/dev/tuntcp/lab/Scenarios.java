package dev.tuntcp.lab;

import dev.tuntcp.lab.scenarios.CloseByKernel;
import dev.tuntcp.lab.scenarios.CloseByStack;
import dev.tuntcp.lab.scenarios.ClosedPort;
import dev.tuntcp.lab.scenarios.FinAckCombined;
import dev.tuntcp.lab.scenarios.FinConsumesSeq;
import dev.tuntcp.lab.scenarios.HalfClose;
import dev.tuntcp.lab.scenarios.HandshakeClient;
import dev.tuntcp.lab.scenarios.HandshakeServer;
import dev.tuntcp.lab.scenarios.LostFinalAck;
import dev.tuntcp.lab.scenarios.LostHandshakeAck;
import dev.tuntcp.lab.scenarios.OldDuplicateSyn;
import dev.tuntcp.lab.scenarios.RstAbort;
import dev.tuntcp.lab.scenarios.SimultaneousClose;
import dev.tuntcp.lab.scenarios.SimultaneousOpen;
import java.util.List;
import java.util.Optional;

/** Every lab scenario, in the order {@code tuntcp lab --list} shows them (opening first, then closing). */
public final class Scenarios {
    private static final List<Scenario> ALL = List.of(
            new HandshakeServer(),
            new HandshakeClient(),
            new OldDuplicateSyn(),
            new LostHandshakeAck(),
            new SimultaneousOpen(),
            new ClosedPort(),
            new CloseByKernel(),
            new CloseByStack(),
            new FinAckCombined(),
            new HalfClose(),
            new FinConsumesSeq(),
            new LostFinalAck(),
            new SimultaneousClose(),
            new RstAbort());

    private Scenarios() {
    }

    public static List<Scenario> all() {
        return ALL;
    }

    public static Optional<Scenario> named(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
