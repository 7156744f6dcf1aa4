package dev.budgetmeter.topics;

import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.Balance;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.BudgetOperation;
import dev.budgetmeter.schemas.CommandResult;
import dev.budgetmeter.schemas.DeadLetter;
import dev.budgetmeter.schemas.Decision;
import dev.budgetmeter.schemas.StreamEvent;
import dev.budgetmeter.schemas.ledger.LedgerRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The registry of the pipeline's topics: the only place where their names, types and settings are written down.
 * Every value is Avro in the Confluent wire format. Keys are the reservation id, except where the budget ledger reads
 * by tenant ({@link #BUDGET_OPERATIONS}, {@link #LEDGER_REQUESTS}: the tenant), {@link #BALANCES} (the budget:
 * {@code <scope>|<unit>}) and {@link #COMMAND_RESULTS} (the command id, in the reservation id's partition). Topics whose keys are of one kind are co-partitioned: created with the same partition
 * count, so that one task reads all of one reservation, or all of one tenant.
 */
public final class Topics {

    /** Prefix of every topic name unless a deployment chooses another. */
    public static final String DEFAULT_PREFIX = "budget.";

    /** Partitions of the keyed topics by default: enough to spread over a few instances. */
    public static final int DEFAULT_PARTITIONS = 6;

    /** Input: reserve, chunk, usage and end events written by the workers. */
    public static final TopicDefinition<String, StreamEvent> STREAM_EVENTS = new TopicDefinition<>(
            "stream-events", String.class, StreamEvent.class, DEFAULT_PARTITIONS,
            deleteAfter(Duration.ofDays(7)),
            "reserve, chunk, usage and end events of every LLM stream, written by the workers");

    /** Output: extend, commit, release and debit commands for the budget authority. */
    public static final TopicDefinition<String, BudgetCommand> COMMANDS = new TopicDefinition<>(
            "commands", String.class, BudgetCommand.class, DEFAULT_PARTITIONS,
            deleteAfter(Duration.ofDays(7)),
            "extend, commit, release and debit commands for the budget authority, with deterministic idempotency keys");

    /** Output: every transition of every reservation with its snapshot; kept forever by default, for replay. */
    public static final TopicDefinition<String, AuditRecord> AUDIT = new TopicDefinition<>(
            "audit", String.class, AuditRecord.class, DEFAULT_PARTITIONS,
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, "-1"),
            "every transition of every reservation with the snapshot after it; kept forever, replayable");

    /** Output: input records that could not be applied, with the reason and their original bytes. */
    public static final TopicDefinition<String, DeadLetter> DEAD_LETTERS = new TopicDefinition<>(
            "dead-letters", String.class, DeadLetter.class, 3,
            deleteAfter(Duration.ofDays(30)),
            "input records that could not be applied, with a reason code and their original bytes");

    /** Input of the budget ledger: budget changes by operators, keyed by tenant; kept forever, they are the budgets. */
    public static final TopicDefinition<String, BudgetOperation> BUDGET_OPERATIONS = new TopicDefinition<>(
            "budget-operations", String.class, BudgetOperation.class, DEFAULT_PARTITIONS,
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, "-1"),
            "budget changes (set, fund, freeze, unfreeze, close) by operators, keyed by tenant, each applied once");

    /** Output of the budget ledger: one decision per Reserve, to the partition the Reserve names. */
    public static final TopicDefinition<String, Decision> DECISIONS = new TopicDefinition<>(
            "decisions", String.class, Decision.class, DEFAULT_PARTITIONS,
            deleteAfter(Duration.ofDays(1)),
            "the budget ledger's decision on every Reserve, in the partition the Reserve asked for");

    /** Output of the budget ledger: every budget's latest balance, compacted, for dashboards and the CLI. */
    public static final TopicDefinition<String, Balance> BALANCES = new TopicDefinition<>(
            "balances", String.class, Balance.class, DEFAULT_PARTITIONS,
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT),
            "the latest balance of every budget, keyed by <scope>|<unit>, compacted");

    /** The application's own: what the lifecycle asks of the ledger, keyed by tenant. */
    public static final TopicDefinition<String, LedgerRequest> LEDGER_REQUESTS = new TopicDefinition<>(
            "ledger-requests", String.class, LedgerRequest.class, DEFAULT_PARTITIONS,
            deleteAfter(Duration.ofDays(7)),
            "the application's own: holds and settlements the lifecycle asks of the budget ledger, keyed by tenant");

    /** The application's own: the ledger's decisions back to the lifecycle, keyed by reservation id. */
    public static final TopicDefinition<String, Decision> LEDGER_REPLIES = new TopicDefinition<>(
            "ledger-replies", String.class, Decision.class, DEFAULT_PARTITIONS,
            deleteAfter(Duration.ofDays(7)),
            "the application's own: the budget ledger's decisions back to the lifecycle, keyed by reservation id");

    /**
     * Output of the relay to a Cycles server: the authority's answer to every command, keyed by command id, compacted.
     * Written to the partition of the reservation id (not of the key), so that it is co-partitioned with
     * {@link #STREAM_EVENTS} and the lifecycle task of the reservation reads it.
     */
    public static final TopicDefinition<String, CommandResult> COMMAND_RESULTS = new TopicDefinition<>(
            "command-results", String.class, CommandResult.class, DEFAULT_PARTITIONS,
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT),
            "the budget authority's answer to every command, written by the relay, keyed by command id, in the"
                    + " reservation's partition, compacted");

    /** Every topic, inputs first. */
    public static final List<TopicDefinition<String, ?>> ALL = List.of(STREAM_EVENTS, BUDGET_OPERATIONS, COMMANDS,
            AUDIT, DEAD_LETTERS, DECISIONS, BALANCES, LEDGER_REQUESTS, LEDGER_REPLIES, COMMAND_RESULTS);

    private Topics() {
    }

    private static Map<String, String> deleteAfter(final Duration retention) {
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, String.valueOf(retention.toMillis()));
    }
}
