package dev.budgetmeter.topology.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OnDemandSchedulerTest {

    private final OnDemandScheduler scheduler = new OnDemandScheduler("on-demand-test");

    @AfterEach
    void shutDown() {
        scheduler.shutdownNow();
    }

    @Test
    void a_periodic_task_runs_on_demand_on_the_callers_thread() {
        final List<String> threads = new ArrayList<>();
        scheduler.scheduleAtFixedRate(() -> threads.add(Thread.currentThread().getName()), 1, 1, TimeUnit.HOURS);
        scheduler.scheduleWithFixedDelay(() -> threads.add(Thread.currentThread().getName()), 1, 1, TimeUnit.HOURS);

        final int ran = scheduler.runPeriodicNow();

        assertThat(ran).isEqualTo(2);
        assertThat(threads).containsExactly(Thread.currentThread().getName(), Thread.currentThread().getName());
    }

    @Test
    void a_one_off_task_is_not_periodic() {
        scheduler.schedule(() -> { }, 1, TimeUnit.HOURS);

        assertThat(scheduler.periodicTasks()).isZero();
        assertThat(scheduler.runPeriodicNow()).isZero();
    }

    @Test
    void runs_on_demand_and_on_schedule_never_overlap() throws Exception {
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger mostInside = new AtomicInteger();
        final AtomicInteger runs = new AtomicInteger();
        scheduler.scheduleAtFixedRate(() -> {
            mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
            runs.incrementAndGet();
            Thread.onSpinWait();
            inside.decrementAndGet();
        }, 0, 1, TimeUnit.MILLISECONDS);
        final List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            callers.add(new Thread(() -> {
                for (int n = 0; n < 2_000; n++) {
                    scheduler.runPeriodicNow();
                }
            }));
        }

        callers.forEach(Thread::start);
        for (final Thread caller : callers) {
            caller.join();
        }

        assertThat(runs.get()).isGreaterThanOrEqualTo(8_000);
        assertThat(mostInside.get()).as("runs inside the task at once, at most").isEqualTo(1);
    }

    @Test
    void after_shutdown_the_last_action_runs_once_and_no_periodic_task_runs_again() {
        final AtomicInteger runs = new AtomicInteger();
        final AtomicInteger last = new AtomicInteger();
        scheduler.scheduleAtFixedRate(runs::incrementAndGet, 1, 1, TimeUnit.HOURS);
        scheduler.runPeriodicNow();

        scheduler.shutdownThen(last::incrementAndGet);

        assertThat(scheduler.runPeriodicNow()).isZero();
        assertThat(runs.get()).isEqualTo(1);
        assertThat(last.get()).isEqualTo(1);
        assertThat(scheduler.isShutdown()).isTrue();
    }
}
