package dev.budgetmeter.topology.processing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.budgetmeter.schemas.AuditKind;
import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.Commit;
import dev.budgetmeter.schemas.Outcome;
import dev.budgetmeter.schemas.StreamEvent;
import dev.budgetmeter.schemas.fixture.StreamEventFixture;
import dev.budgetmeter.schemas.internal.OrphanBuffer;
import dev.budgetmeter.schemas.internal.UsageState;
import dev.budgetmeter.schemas.UsageCovered;
import dev.budgetmeter.topology.MeteringConfig;
import dev.budgetmeter.topology.decode.InboundEvent;
import dev.budgetmeter.topology.decode.SourceRecord;
import dev.budgetmeter.topology.state.StateSerde;
import dev.budgetmeter.topology.state.StateStores;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Chunks are stored without an audit record each; their usage is audited at the next punctuation or transition. A
 * crash in between (the process dies after the transaction of the chunks committed, before a punctuation) must lose
 * nothing: the restarted task, a new processor over the stores as their changelogs restore them, audits the same
 * events and charges every token. The stores here are the committed state; each processor instance is one life of
 * the task.
 */
class UsageAcrossCrashTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final Sinks SINKS = new Sinks("commands", "audit", "dead-letters", null);

    private final List<KeyValueStore<?, ?>> stores = new java.util.ArrayList<>();
    private final AtomicLong offset = new AtomicLong();

    @BeforeEach
    void openStores() {
        final MockProcessorContext<String, Object> first = new MockProcessorContext<>();
        for (final StoreBuilder<? extends KeyValueStore<?, ?>> builder : List.of(
                inMemory(StateStores.RESERVATIONS, Serdes.ByteArray()),
                inMemory(StateStores.USAGE, new StateSerde<>(UsageState.class)),
                inMemory(StateStores.ORPHANS, new StateSerde<>(OrphanBuffer.class)),
                inMemory(StateStores.DEADLINES, Serdes.ByteArray()))) {
            final KeyValueStore<?, ?> store = builder.build();
            store.init(first.getStateStoreContext(), store);
            stores.add(store);
        }
    }

    @Test
    void chunks_stored_before_a_crash_are_audited_after_the_restart_and_charged_once() {
        final Life before = new Life(T0);
        before.process(StreamEventFixture.reserve("r1", T0));
        before.process(StreamEventFixture.chunk("r1", 1, T0 + 10, 100));
        before.process(StreamEventFixture.chunk("r1", 2, T0 + 20, 50));
        before.process(StreamEventFixture.chunk("r1", 3, T0 + 30, 25));
        assertThat(before.audits()).extracting(AuditRecord::getKind).containsExactly(AuditKind.RESERVED);

        final Life after = new Life(T0 + 500);
        after.punctuate(T0 + 1_000);

        assertThat(after.audits()).singleElement().satisfies(audit -> {
            assertThat(audit.getKind()).isEqualTo(AuditKind.USAGE_RECORDED);
            assertThat(audit.getUsage()).isEqualTo(new UsageCovered(1L, 3L, 3));
            assertThat(audit.getSnapshot().getChunkTokensOutput()).isEqualTo(175);
        });

        after.process(StreamEventFixture.chunk("r1", 4, T0 + 1_100, 5));
        after.process(StreamEventFixture.end("r1", 5, T0 + 1_200, Outcome.COMPLETED, null));

        assertThat(after.audits()).singleElement().satisfies(audit -> {
            assertThat(audit.getKind()).isEqualTo(AuditKind.COMMITTED);
            assertThat(audit.getUsage()).isEqualTo(new UsageCovered(4L, 5L, 2));
        });
        assertThat(after.commands()).singleElement().satisfies(command ->
                assertThat(((Commit) command.getBody()).getActual().getAmount()).isEqualTo(180 * StreamEventFixture.OUTPUT_PRICE));
    }

    @Test
    void a_crash_right_after_a_usage_audit_does_not_audit_those_events_again() {
        final Life before = new Life(T0);
        before.process(StreamEventFixture.reserve("r1", T0));
        before.process(StreamEventFixture.chunk("r1", 1, T0 + 10, 100));
        before.punctuate(T0 + 1_000);
        assertThat(before.audits()).extracting(AuditRecord::getKind)
                .containsExactly(AuditKind.RESERVED, AuditKind.USAGE_RECORDED);

        final Life after = new Life(T0 + 1_100);
        after.punctuate(T0 + 2_000);

        assertThat(after.audits()).isEmpty();
    }

    /** One life of the task: a processor initialised over the committed stores, as after a restore. */
    private final class Life {
        private final MockProcessorContext<String, Object> context = new MockProcessorContext<>();
        private final ReservationProcessor processor = new ReservationProcessor(
                new MeteringConfig(Map.of(MeteringConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092")).taskSettings(),
                TaskRuntime.caughtUp(), SINKS);
        private final Map<String, Integer> read = new java.util.HashMap<>();

        Life(final long now) {
            stores.forEach(context::addStateStore);
            context.setCurrentSystemTimeMs(now);
            processor.init(context);
        }

        void process(final StreamEvent event) {
            final long at = event.getOccurredAt().toEpochMilli();
            context.setCurrentSystemTimeMs(at);
            processor.process(new Record<>(event.getReservationId(), new LifecycleInput.Event(new InboundEvent(event,
                    new SourceRecord("events", 0, offset.getAndIncrement(), at, null, null))), at));
        }

        void punctuate(final long now) {
            context.setCurrentSystemTimeMs(now);
            final CapturedPunctuator punctuator = context.scheduledPunctuators().get(0);
            punctuator.getPunctuator().punctuate(now);
        }

        /** The audit records forwarded since the last call. */
        List<AuditRecord> audits() {
            return forwarded(SINKS.audit(), AuditRecord.class);
        }

        List<BudgetCommand> commands() {
            return forwarded(SINKS.commands(), BudgetCommand.class);
        }

        private <T> List<T> forwarded(final String sink, final Class<T> type) {
            final List<T> all = context.forwarded().stream()
                    .filter(captured -> captured.childName().orElse("").equals(sink))
                    .map(captured -> type.cast(captured.record().value())).toList();
            final int seen = read.getOrDefault(sink, 0);
            read.put(sink, all.size());
            return all.subList(seen, all.size());
        }
    }

    /** A store as the topology's, in memory and without a changelog: it outlives the processors that use it. */
    private static <V> StoreBuilder<KeyValueStore<Object, V>> inMemory(final String name, final Serde<V> values) {
        @SuppressWarnings("unchecked")
        final Serde<Object> keys = (Serde<Object>) (Serde<?>) (name.equals(StateStores.DEADLINES) ? Serdes.Bytes()
                : Serdes.String());
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), keys, values).withLoggingDisabled();
    }
}
