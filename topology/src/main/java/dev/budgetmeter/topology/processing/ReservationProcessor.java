package dev.budgetmeter.topology.processing;

import dev.budgetmeter.schemas.internal.OrphanBuffer;
import dev.budgetmeter.schemas.internal.UsageState;
import dev.budgetmeter.topology.decode.DeadLetters;
import dev.budgetmeter.topology.lifecycle.Lifecycle;
import dev.budgetmeter.topology.state.DeadlineIndex;
import dev.budgetmeter.topology.state.StateStores;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The reservation state machine of one task: applies each valid stream event through the {@link ReservationLedger}
 * and schedules the {@link DeadlinePunctuator} on wall-clock time, so heartbeats and timeouts fire even when a
 * partition receives no input (stream time would stand still there); timeouts of silence are judged on the task's
 * {@link InputClock}. Its {@code init} marks the task running in the instance's {@link RunningTasks}.
 *
 * <p>Time is {@link ProcessorContext#currentSystemTimeMs()}, which tests drive with
 * {@code TopologyTestDriver.advanceWallClockTime}.
 */
public final class ReservationProcessor implements Processor<String, LifecycleInput, String, Object> {

    /** Snapshots a task keeps decoded: a few MB, and more than the streams a task has open at once in most fleets. */
    private static final int LIVE_RESERVATIONS_CACHED = 4_096;

    private final TaskSettings settings;
    private final TaskRuntime runtime;
    private final Sinks sinks;
    private ProcessorContext<String, Object> context;
    private ReservationLedger ledger;
    private MeteringMetrics metrics;

    public ReservationProcessor(final TaskSettings settings, final TaskRuntime runtime, final Sinks sinks) {
        this.settings = settings;
        this.runtime = runtime;
        this.sinks = sinks;
    }

    @Override
    public void init(final ProcessorContext<String, Object> context) {
        this.context = context;
        final KeyValueStore<String, byte[]> snapshots = context.getStateStore(StateStores.RESERVATIONS);
        final KeyValueStore<Bytes, byte[]> deadlineStore = context.getStateStore(StateStores.DEADLINES);
        final KeyValueStore<String, OrphanBuffer> orphanStore = context.getStateStore(StateStores.ORPHANS);
        final KeyValueStore<String, UsageState> usage = context.getStateStore(StateStores.USAGE);
        final LiveReservations reservations = new LiveReservations(snapshots, StateStores.snapshotSerde(), usage,
                LIVE_RESERVATIONS_CACHED);
        final Set<String> unaudited = new HashSet<>();
        metrics = new MeteringMetrics(context.metrics(), context.taskId().toString(), "lifecycle");
        metrics.initActive(reservations.scan(unaudited));
        final DeadlineIndex deadlines = new DeadlineIndex(deadlineStore);
        final DeadLetters deadLetters = new DeadLetters(settings.deadLetterMaxValueBytes());
        final Emitter emitter = new Emitter(context, sinks, metrics);
        final OrphanHold orphans = new OrphanHold(orphanStore, deadlines, deadLetters, emitter,
                settings.orphanTimeoutMs(), settings.orphanMaxEvents());
        ledger = new ReservationLedger(new Lifecycle(settings.policy()), reservations, deadlines, orphans,
                deadLetters, emitter, settings.tenancy());
        ledger.unaudited(unaudited);
        context.schedule(settings.punctuationInterval(), PunctuationType.WALL_CLOCK_TIME,
                new DeadlinePunctuator(deadlines, ledger, runtime.inputClock(), context.taskId().partition(),
                        settings.maxDuePerPunctuation()));
        runtime.runningTasks().started(context.taskId());
    }

    @Override
    public void process(final Record<String, LifecycleInput> record) {
        record.value().applyTo(ledger, context.currentSystemTimeMs());
    }

    @Override
    public void close() {
        runtime.runningTasks().stopped(context.taskId());
        metrics.close();
    }
}
