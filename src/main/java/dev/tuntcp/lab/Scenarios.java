package dev.tuntcp.lab;

import dev.tuntcp.lab.scenarios.ClosedPort;
import dev.tuntcp.lab.scenarios.HandshakeClient;
import dev.tuntcp.lab.scenarios.HandshakeServer;
import java.util.List;
import java.util.Optional;

/** Every lab scenario, in the order {@code tuntcp lab --list} shows them (opening first, then closing). */
public final class Scenarios {
    private static final List<Scenario> ALL = List.of(
            new HandshakeServer(),
            new HandshakeClient(),
            new ClosedPort());

    private Scenarios() {
    }

    public static List<Scenario> all() {
        return ALL;
    }

    public static Optional<Scenario> named(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
