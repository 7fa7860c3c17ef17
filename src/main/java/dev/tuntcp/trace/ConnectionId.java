package dev.tuntcp.trace;

/**
 * A connection's two endpoints seen from the stack: {@code local} is tuntcp's, {@code remote} the
 * peer's. Equal ids mean the same 4-tuple.
 */
public record ConnectionId(Endpoint local, Endpoint remote) {
    public ConnectionId {
        java.util.Objects.requireNonNull(local, "local");
        java.util.Objects.requireNonNull(remote, "remote");
    }

    /** The endpoint of {@code side}. */
    public Endpoint endpoint(Side side) {
        return side == Side.STACK ? local : remote;
    }

    /** {@code 10.13.0.2:80 ⇄ 10.13.0.1:45678} (local first). */
    @Override
    public String toString() {
        return local + " ⇄ " + remote;
    }
}
