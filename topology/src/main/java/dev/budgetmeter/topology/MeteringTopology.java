package dev.budgetmeter.topology;

import dev.budgetmeter.schemas.CommandResult;
import dev.budgetmeter.schemas.Decision;
import dev.budgetmeter.topics.TenantTopics;
import dev.budgetmeter.topics.Topic;
import dev.budgetmeter.topics.TopicRegistry;
import dev.budgetmeter.topics.Topics;
import dev.budgetmeter.topology.decode.DeadLetters;
import dev.budgetmeter.topology.decode.EventDecoder;
import dev.budgetmeter.topology.decode.OperationDecoder;
import dev.budgetmeter.topology.decode.StreamEventValidator;
import dev.budgetmeter.topology.ledger.Ledger;
import dev.budgetmeter.topology.processing.BudgetOperationProcessor;
import dev.budgetmeter.topology.processing.DecodeProcessor;
import dev.budgetmeter.topology.processing.LedgerRequestProcessor;
import dev.budgetmeter.topology.processing.LedgerSinks;
import dev.budgetmeter.topology.processing.ReplyProcessor;
import dev.budgetmeter.topology.processing.ReservationProcessorSupplier;
import dev.budgetmeter.topology.processing.ResultProcessor;
import dev.budgetmeter.topology.processing.Sinks;
import dev.budgetmeter.topology.processing.TaskRuntime;
import dev.budgetmeter.topology.state.StateStores;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Builds the metering topology: a pure function from configuration to {@link Topology}, with no I/O.
 *
 * <pre>
 *  stream-events (bytes) -> decode -+-> dead-letters-sink  (what cannot be decoded)
 *                                   +-> lifecycle [reservations, deadlines, orphans] -+-> commands-sink
 *  ledger-replies -> replies -------+                                                 +-> audit-sink
 *  command-results -> results ------'                                                 |
 *                                                                                     +-> dead-letters-sink
 *                                                                                     +-> ledger-requests-sink
 *  ledger-requests -> ledger [budgets, ledger-holds] -------------------------------+-> decisions-sink
 *  budget-operations (bytes) -> budget-operations [budgets, ledger-operations] ---+-+-> ledger-replies-sink
 *                                                                                 +-> balances-sink
 *                                                                                 +-> ledger-audit-sink
 *                                                                                 +-> ledger-dead-letters-sink
 * </pre>
 *
 * The lifecycle, keyed by reservation id, is the first sub-topology; with the budget ledger
 * ({@code metering.authority=LEDGER}) a second one, keyed by tenant, owns every budget of a tenant, so a Reserve over
 * several scopes is decided and held in one {@code process()} call. The two talk through the application's own topics
 * (ledger-requests, keyed by tenant; ledger-replies, keyed by reservation id and co-partitioned with stream-events),
 * exactly once like everything else. With an external authority only the first sub-topology exists; with a Cycles
 * server ({@code metering.authority=CYCLES}) the lifecycle also reads the relay's command-results, which the relay
 * writes to the partition of the reservation id, so they are co-partitioned with stream-events. With
 * {@code metering.tenant.topics} the events come from every per-tenant input topic ({@link TenantTopics}, a
 * pattern source) instead of the shared one.
 *
 * <p>Written with the Processor API so that each node hands every output straight to the sink of its topic. Every
 * node is named with a constant below so that processor, store and sink names survive refactors.
 */
public final class MeteringTopology {

    public static final String SOURCE = "stream-events-source";
    public static final String DECODE = "decode";
    public static final String LIFECYCLE = "lifecycle";
    public static final String COMMANDS_SINK = "commands-sink";
    public static final String AUDIT_SINK = "audit-sink";
    public static final String DEAD_LETTERS_SINK = "dead-letters-sink";
    public static final String LEDGER_REPLIES_SOURCE = "ledger-replies-source";
    public static final String COMMAND_RESULTS_SOURCE = "command-results-source";
    public static final String RESULTS = "results";
    public static final String REPLIES = "replies";
    public static final String LEDGER_REQUESTS_SINK = "ledger-requests-sink";
    public static final String LEDGER_REQUESTS_SOURCE = "ledger-requests-source";
    public static final String LEDGER = "ledger";
    public static final String BUDGET_OPERATIONS_SOURCE = "budget-operations-source";
    public static final String BUDGET_OPERATIONS = "budget-operations";
    public static final String DECISIONS_SINK = "decisions-sink";
    public static final String LEDGER_REPLIES_SINK = "ledger-replies-sink";
    public static final String BALANCES_SINK = "balances-sink";
    /** The ledger's own sinks of the audit and dead-letter topics, so that its sub-topology stays its own. */
    public static final String LEDGER_AUDIT_SINK = "ledger-audit-sink";
    public static final String LEDGER_DEAD_LETTERS_SINK = "ledger-dead-letters-sink";

    private MeteringTopology() {
    }

    /** Builds the topology for a deployment's configuration, as a synchronous test driver runs it. */
    public static Topology build(final MeteringConfig config) {
        return build(config, TaskRuntime.caughtUp());
    }

    /** Builds the topology for a deployment's configuration, its tasks sharing {@code runtime} with the instance. */
    public static Topology build(final MeteringConfig config, final TaskRuntime runtime) {
        final TopicRegistry topics = TopicRegistry.create(config.topicPrefix(), config.serdeConfig());
        final boolean ledger = config.policy().ledger();
        final Topology topology = new Topology();
        if (config.inputTenancy().perTenant()) {
            topology.addSource(SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
                    TenantTopics.pattern(config.topicPrefix()));
        } else {
            topology.addSource(SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
                    topics.name(Topics.STREAM_EVENTS));
        }
        topology.addProcessor(DECODE, () -> new DecodeProcessor(decoder(config, topics), LIFECYCLE, DEAD_LETTERS_SINK),
                SOURCE);
        final boolean results = config.policy().readsResults();
        final String[] lifecycleParents = ledger ? new String[] {DECODE, REPLIES}
                : results ? new String[] {DECODE, RESULTS} : new String[] {DECODE};
        if (results) {
            final Topic<String, CommandResult> answers = topics.topic(Topics.COMMAND_RESULTS);
            topology.addSource(COMMAND_RESULTS_SOURCE, Serdes.ByteArray().deserializer(),
                    Serdes.ByteArray().deserializer(), answers.name());
            topology.addProcessor(RESULTS, () -> new ResultProcessor(answers.valueSerde().deserializer(),
                    new DeadLetters(config.deadLetterMaxValueBytes()), LIFECYCLE, DEAD_LETTERS_SINK),
                    COMMAND_RESULTS_SOURCE);
        }
        if (ledger) {
            final Topic<String, Decision> replies = topics.topic(Topics.LEDGER_REPLIES);
            topology.addSource(LEDGER_REPLIES_SOURCE, replies.keySerde().deserializer(),
                    replies.valueSerde().deserializer(), replies.name());
            topology.addProcessor(REPLIES, () -> new ReplyProcessor(LIFECYCLE), LEDGER_REPLIES_SOURCE);
        }
        topology.addProcessor(LIFECYCLE, new ReservationProcessorSupplier(config.taskSettings(), runtime,
                new Sinks(COMMANDS_SINK, AUDIT_SINK, DEAD_LETTERS_SINK, ledger ? LEDGER_REQUESTS_SINK : null)),
                lifecycleParents);
        addSink(topology, COMMANDS_SINK, topics.topic(Topics.COMMANDS), LIFECYCLE);
        addSink(topology, AUDIT_SINK, topics.topic(Topics.AUDIT), LIFECYCLE);
        addSink(topology, DEAD_LETTERS_SINK, topics.topic(Topics.DEAD_LETTERS), results
                ? new String[] {DECODE, LIFECYCLE, RESULTS} : new String[] {DECODE, LIFECYCLE});
        if (ledger) {
            addSink(topology, LEDGER_REQUESTS_SINK, topics.topic(Topics.LEDGER_REQUESTS), LIFECYCLE);
            addLedger(topology, config, topics, runtime);
        }
        return topology;
    }

    /** The budget ledger: its sources, its two processors over three shared stores, and its own sinks. */
    private static void addLedger(final Topology topology, final MeteringConfig config, final TopicRegistry topics,
                                  final TaskRuntime runtime) {
        final Ledger rules = new Ledger(config.allowUnbudgeted());
        final LedgerSinks sinks = new LedgerSinks(DECISIONS_SINK, LEDGER_REPLIES_SINK, BALANCES_SINK,
                LEDGER_AUDIT_SINK, LEDGER_DEAD_LETTERS_SINK);
        final Topic<String, dev.budgetmeter.schemas.ledger.LedgerRequest> requests =
                topics.topic(Topics.LEDGER_REQUESTS);
        topology.addSource(LEDGER_REQUESTS_SOURCE, requests.keySerde().deserializer(),
                requests.valueSerde().deserializer(), requests.name());
        topology.addProcessor(LEDGER, () -> new LedgerRequestProcessor(rules, sinks, runtime.runningTasks()), LEDGER_REQUESTS_SOURCE);
        topology.addSource(BUDGET_OPERATIONS_SOURCE, Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer(), topics.name(Topics.BUDGET_OPERATIONS));
        topology.addProcessor(BUDGET_OPERATIONS, () -> new BudgetOperationProcessor(rules, new OperationDecoder(
                topics.topic(Topics.BUDGET_OPERATIONS).valueSerde().deserializer(),
                new DeadLetters(config.deadLetterMaxValueBytes())), sinks), BUDGET_OPERATIONS_SOURCE);
        for (final StoreBuilder<?> store : StateStores.ledgerBuilders()) {
            topology.addStateStore(store, store.name().equals(StateStores.LEDGER_OPERATIONS)
                    ? new String[] {BUDGET_OPERATIONS}
                    : store.name().equals(StateStores.LEDGER_HOLDS) ? new String[] {LEDGER}
                    : new String[] {LEDGER, BUDGET_OPERATIONS});
        }
        final Topic<String, Decision> decisions = topics.topic(Topics.DECISIONS);
        topology.addSink(DECISIONS_SINK, decisions.name(), decisions.keySerde().serializer(),
                decisions.valueSerde().serializer(), replyPartition(), LEDGER);
        addSink(topology, LEDGER_REPLIES_SINK, topics.topic(Topics.LEDGER_REPLIES), LEDGER);
        addSink(topology, BALANCES_SINK, topics.topic(Topics.BALANCES), LEDGER, BUDGET_OPERATIONS);
        addSink(topology, LEDGER_AUDIT_SINK, topics.topic(Topics.AUDIT), LEDGER, BUDGET_OPERATIONS);
        addSink(topology, LEDGER_DEAD_LETTERS_SINK, topics.topic(Topics.DEAD_LETTERS), BUDGET_OPERATIONS);
    }

    /** A decision goes to the partition its Reserve named (taken modulo the count), else to its key's. */
    private static StreamPartitioner<String, Decision> replyPartition() {
        return (topic, key, decision, partitions) -> decision.getReplyPartition() == null ? Optional.empty()
                : Optional.of(Set.of(Math.floorMod(decision.getReplyPartition(), partitions)));
    }

    /** One per processor: a deserializer is not shared between stream threads. */
    private static EventDecoder decoder(final MeteringConfig config, final TopicRegistry topics) {
        return new EventDecoder(topics.topic(Topics.STREAM_EVENTS).valueSerde().deserializer(),
                new StreamEventValidator(), new DeadLetters(config.deadLetterMaxValueBytes()));
    }

    private static <V> void addSink(final Topology topology, final String name, final Topic<String, V> topic,
                                    final String... parents) {
        topology.addSink(name, topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer(), parents);
    }
}
