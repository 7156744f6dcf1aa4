package dev.budgetmeter.topology.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReadinessSignalTest {

    private final ReadinessSignal signal = new ReadinessSignal();

    @Test
    void a_condition_that_holds_returns_at_once_without_a_change() throws InterruptedException {
        assertThat(signal.await(() -> true, Duration.ZERO)).isTrue();
    }

    @Test
    void a_condition_that_never_holds_returns_false_when_the_time_is_up() throws InterruptedException {
        assertThat(signal.await(() -> false, Duration.ofMillis(50))).isFalse();
    }

    @Test
    void a_change_signalled_by_another_thread_wakes_the_waiter_to_check_again() throws InterruptedException {
        final AtomicBoolean ready = new AtomicBoolean();
        final AtomicInteger checks = new AtomicInteger();
        final CountDownLatch firstCheck = new CountDownLatch(1);
        final Thread streamThread = new Thread(() -> {
            try {
                firstCheck.await();
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ready.set(true);
            signal.changed();
        });
        streamThread.start();

        final boolean waited = signal.await(() -> {
            checks.incrementAndGet();
            // Read before letting the other thread go, so that the first check never sees its change.
            final boolean held = ready.get();
            firstCheck.countDown();
            return held;
        }, Duration.ofMinutes(1));
        streamThread.join();

        assertThat(waited).isTrue();
        assertThat(checks.get()).as("checked once before the change and once after it, not on a timer")
                .isEqualTo(2);
    }
}
