package dev.tuntcp.stack;

/** The waiter of a manual (virtual-time) loop: nothing to wait for, time moves when the test says. */
final class NoopWaiter implements IoWaiter {
    static final NoopWaiter INSTANCE = new NoopWaiter();

    private NoopWaiter() {
    }

    @Override
    public void await(long timeoutNanos) {
    }

    @Override
    public void wakeup() {
    }
}
