package dev.tuntcp.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The waiter needs no privileges: eventfds stand in for the device fd. */
class TunWaiterTest {

    @Test
    void convertsTimeoutsRoundingUp() {
        assertEquals(0, TunWaiter.toPollMillis(0));
        assertEquals(0, TunWaiter.toPollMillis(-5));
        assertEquals(1, TunWaiter.toPollMillis(1));
        assertEquals(1, TunWaiter.toPollMillis(1_000_000));
        assertEquals(2, TunWaiter.toPollMillis(1_000_001));
        assertEquals(-1, TunWaiter.toPollMillis(Long.MAX_VALUE));
        assertEquals(Integer.MAX_VALUE, TunWaiter.toPollMillis(Long.MAX_VALUE - 1));
    }

    @Test
    void wakeupFromAnotherThreadEndsAnUnboundedAwait() throws Exception {
        try (TunWaiter waiter = TunWaiter.wakeupOnly()) {
            CountDownLatch returned = new CountDownLatch(1);
            Thread loop = new Thread(() -> {
                waiter.await(Long.MAX_VALUE);
                returned.countDown();
            }, "waiter-loop");
            loop.setDaemon(true);
            loop.start();
            assertFalse(returned.await(50, TimeUnit.MILLISECONDS), "await returned without a wake-up");
            Thread waker = new Thread(waiter::wakeup, "waker");
            waker.start();
            assertTrue(returned.await(5, TimeUnit.SECONDS), "wakeup() did not end await()");
            loop.join(5_000);
            waker.join(5_000);
        }
    }

    @Test
    void wakeupBeforeAwaitIsNotLostAndIsDrained() throws Exception {
        try (TunWaiter waiter = TunWaiter.wakeupOnly()) {
            waiter.wakeup();
            waiter.wakeup(); // coalesced
            long start = System.nanoTime();
            waiter.await(TimeUnit.SECONDS.toNanos(30));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "pending wake-up was lost");
            // Drained: the next await times out instead of returning at once (bounded: 20 ms).
            start = System.nanoTime();
            waiter.await(TimeUnit.MILLISECONDS.toNanos(20));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(19), "eventfd not drained");
        }
    }

    @Test
    void reportsTheDeviceReadable() {
        int fakeDevice = Libc.eventfd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
        assertTrue(fakeDevice >= 0);
        try (TunWaiter waiter = new TunWaiter(fakeDevice)) {
            waiter.await(0);
            assertFalse(waiter.deviceReadable());
            Memory one = new Memory(8);
            one.setLong(0, 1);
            assertEquals(8, Libc.write(fakeDevice, Pointer.nativeValue(one), 8));
            waiter.await(TimeUnit.SECONDS.toNanos(5));
            assertTrue(waiter.deviceReadable());
            assertFalse(waiter.deviceFailed());
        } finally {
            Libc.close(fakeDevice);
        }
    }

    @Test
    void errnoIsKeptPerCall() {
        int fd = Libc.eventfd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
        try {
            Memory buf = new Memory(8);
            assertEquals(-1, Libc.read(fd, Pointer.nativeValue(buf), 8));
            assertEquals(Libc.EAGAIN, Libc.errno());
            assertEquals("Resource temporarily unavailable", Libc.describe(Libc.EAGAIN));
        } finally {
            Libc.close(fd);
        }
    }
}
