package dev.budgetmeter.topics;

import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.DeadLetter;
import dev.budgetmeter.schemas.StreamEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The registry of the pipeline's topics: the only place where their names, types and settings are written down.
 * Every key is the reservation id; every value is Avro in the Confluent wire format.
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

    /** Every topic, input first. */
    public static final List<TopicDefinition<String, ?>> ALL = List.of(STREAM_EVENTS, COMMANDS, AUDIT, DEAD_LETTERS);

    private Topics() {
    }

    private static Map<String, String> deleteAfter(final Duration retention) {
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, String.valueOf(retention.toMillis()));
    }
}
