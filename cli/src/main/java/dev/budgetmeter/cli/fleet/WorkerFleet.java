package dev.budgetmeter.cli.fleet;

import dev.budgetmeter.producer.BudgetMeter;
import dev.budgetmeter.producer.Decision;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * A fleet of simulated LLM workers sharing one {@link BudgetMeter}, as a worker process would: {@code concurrency}
 * threads each stream one planned call after another until every plan ran. The threads are daemons and end with
 * {@link #run}, so nothing of the fleet outlives it.
 */
public final class WorkerFleet {

    private final BudgetMeter meter;
    private final FleetSettings settings;
    private final FleetListener listener;
    private final LongSupplier nanoClock;
    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();

    public WorkerFleet(final BudgetMeter meter, final FleetSettings settings, final FleetListener listener,
                       final LongSupplier nanoClock) {
        this.meter = meter;
        this.settings = settings;
        this.listener = listener;
        this.nanoClock = nanoClock;
    }

    /** Streams every plan and returns when all are done, or throws when interrupted (the workers are stopped). */
    public FleetResult run(final List<StreamPlan> plans) throws InterruptedException {
        final long start = nanoClock.getAsLong();
        final Map<String, StreamPlan> opened = new ConcurrentHashMap<>();
        final Map<String, Decision> decisions = new ConcurrentHashMap<>();
        final FleetListener tracking = new Tracking(opened, decisions);
        final SimulatedWorker worker = new SimulatedWorker(meter, settings.ttl(), Thread::sleep, nanoClock, tracking);
        final AtomicInteger threads = new AtomicInteger();
        final ExecutorService executor = Executors.newFixedThreadPool(settings.concurrency(), runnable -> {
            final Thread thread = new Thread(runnable, "budget-meter-worker-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            for (final StreamPlan plan : plans) {
                executor.execute(() -> streamOne(worker, plan, tracking));
            }
            executor.shutdown();
            while (!executor.awaitTermination(1, TimeUnit.SECONDS)) {
                // The plans bound the run; waiting in steps keeps the thread responsive to interruption.
            }
        } finally {
            executor.shutdownNow();
        }
        return new FleetResult(plans, opened, decisions, FleetPlanner.PRICING,
                Duration.ofNanos(nanoClock.getAsLong() - start));
    }

    /** Streams started so far. */
    public int started() {
        return started.get();
    }

    /** Streams finished so far (ended, abandoned or failed). */
    public int finished() {
        return finished.get();
    }

    private void streamOne(final SimulatedWorker worker, final StreamPlan plan, final FleetListener tracking) {
        started.incrementAndGet();
        try {
            worker.stream(plan);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (final RuntimeException e) {
            tracking.failed(plan, e);
        } finally {
            finished.incrementAndGet();
        }
    }

    /** Records the opened reservations and the decisions, then tells the caller's listener. */
    private final class Tracking implements FleetListener {
        private final Map<String, StreamPlan> opened;
        private final Map<String, Decision> decisions;

        Tracking(final Map<String, StreamPlan> opened, final Map<String, Decision> decisions) {
            this.opened = opened;
            this.decisions = decisions;
        }

        @Override
        public void opened(final StreamPlan plan, final Decision decision) {
            opened.put(plan.reservationId(), plan);
            decisions.put(plan.reservationId(), decision);
            listener.opened(plan, decision);
        }

        @Override
        public void refused(final StreamPlan plan, final Decision decision) {
            decisions.put(plan.reservationId(), decision);
            listener.refused(plan, decision);
        }

        @Override
        public void endSent(final StreamPlan plan, final long nanoTime) {
            listener.endSent(plan, nanoTime);
        }

        @Override
        public void finished(final StreamPlan plan) {
            listener.finished(plan);
        }

        @Override
        public void failed(final StreamPlan plan, final RuntimeException cause) {
            listener.failed(plan, cause);
        }
    }
}
