package dev.tuntcp.tcp;

import dev.tuntcp.stack.Timer;

/** The timer that ends a closing connection: TIME-WAIT's 2×MSL or the FIN-WAIT-2 orphan timeout. */
final class ConnectionTimer extends Timer {
    private final Connection connection;
    private TcpTimerKind kind = TcpTimerKind.TIME_WAIT;

    ConnectionTimer(Connection connection) {
        this.connection = connection;
    }

    /** (Re)starts the timer for {@code kind}, {@code delayNanos} from now. */
    void start(TcpTimerKind kind, long delayNanos) {
        this.kind = kind;
        connection.layer.timers().scheduleIn(this, delayNanos);
    }

    void cancel() {
        connection.layer.timers().cancel(this);
    }

    @Override
    protected void onExpire() {
        connection.onCloseTimer(kind);
    }
}
