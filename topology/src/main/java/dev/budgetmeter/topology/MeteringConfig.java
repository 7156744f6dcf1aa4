package dev.budgetmeter.topology;

import dev.budgetmeter.registry.serde.AvroSerdeConfig;
import dev.budgetmeter.topology.decode.InputTenancy;
import dev.budgetmeter.topology.lifecycle.Authority;
import dev.budgetmeter.topology.lifecycle.FailurePolicy;
import dev.budgetmeter.topology.lifecycle.MeteringPolicy;
import dev.budgetmeter.topology.lifecycle.PriceTable;
import dev.budgetmeter.topology.processing.TaskSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.CaseInsensitiveValidString;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Every setting of the metering application, with its documented default, in one place.
 *
 * <p>The metering keys below are ours, all under {@code metering.} so that none can collide with a Kafka setting
 * (Kafka Streams reads {@code topic.*} as internal-topic settings, for one); every other key (any Kafka Streams, consumer, producer or serde setting) is
 * passed through to Kafka Streams untouched by {@link #streamsProperties()}, which also applies this application's
 * defaults ({@code exactly_once_v2} above all).
 */
public final class MeteringConfig extends AbstractConfig {

    /** The producer's {@code batch.size} unless set: see {@link #streamsProperties()}. */
    static final int PRODUCER_BATCH_SIZE = 64 * 1024;
    /** Kafka Streams' {@code max.task.idle.ms} unless set: see {@link #streamsProperties()}. */
    static final long MAX_TASK_IDLE_MS = -1L;

    public static final String APPLICATION_ID_CONFIG = StreamsConfig.APPLICATION_ID_CONFIG;
    public static final String APPLICATION_ID_DOC = "Kafka Streams application id: consumer group, state directory and internal topic prefix.";
    public static final String APPLICATION_ID_DEFAULT = "budget-meter";

    public static final String BOOTSTRAP_SERVERS_CONFIG = StreamsConfig.BOOTSTRAP_SERVERS_CONFIG;
    public static final String BOOTSTRAP_SERVERS_DOC = "Kafka brokers to bootstrap from.";

    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
    public static final String SCHEMA_REGISTRY_URL_DOC = "Confluent-compatible schema registry URL(s), comma-separated; mock://<scope> for an in-memory one.";

    public static final String PROCESSING_GUARANTEE_CONFIG = StreamsConfig.PROCESSING_GUARANTEE_CONFIG;
    public static final String PROCESSING_GUARANTEE_DOC = "exactly_once_v2 (default): every command, audit record and state change of one input record is committed atomically. at_least_once trades that for latency.";
    public static final String PROCESSING_GUARANTEE_DEFAULT = StreamsConfig.EXACTLY_ONCE_V2;

    public static final String NUM_STANDBY_REPLICAS_CONFIG = StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG;
    public static final String NUM_STANDBY_REPLICAS_DOC = "Warm copies of each state store on other instances, for fast fail-over; set 1 when you run two or more instances (Kafka's default, 0, suits one).";
    public static final int NUM_STANDBY_REPLICAS_DEFAULT = 0;

    public static final String TOPIC_PREFIX_CONFIG = "metering.topic.prefix";
    public static final String TOPIC_PREFIX_DOC = "Prefix of every topic name: <prefix>stream-events, <prefix>commands, <prefix>audit, <prefix>dead-letters and, with the ledger, <prefix>budget-operations, <prefix>decisions, <prefix>balances, <prefix>ledger-requests, <prefix>ledger-replies and, with a Cycles server, <prefix>command-results.";
    public static final String TOPIC_PREFIX_DEFAULT = "budget.";

    public static final String TENANT_TOPICS_CONFIG = "metering.tenant.topics";
    public static final String TENANT_TOPICS_DOC = "Keep tenants apart: read the per-tenant input topics <prefix>stream-events.<tenant> (every topic the pattern matches, each writable by its tenant's principal alone) instead of <prefix>stream-events, and dead-letter as TENANT_MISMATCH every event whose reservation belongs to another tenant than its topic's.";
    public static final boolean TENANT_TOPICS_DEFAULT = false;

    public static final String AUTHORITY_CONFIG = "metering.authority";
    public static final String AUTHORITY_DOC = "Who decides Reserves and holds the budgets: EXTERNAL (default: an authority outside, such as a Cycles server, decided the hold before the Reserve was written, and the commands topic carries the settlements to it; an upgrade keeps working without budgets) LEDGER (the budget ledger inside the topology: every Reserve gets a decision on the decisions topic, every settlement moves the tenant's budgets, exactly once with everything else) or CYCLES (as EXTERNAL with a Cycles server and the relay: the lifecycle also reads the server's answers from <prefix>command-results, so a refused extend stops the heartbeats and counts as a lapse, and commits recovered as events are audited).";
    public static final String AUTHORITY_DEFAULT = Authority.EXTERNAL.name();

    public static final String LEDGER_UNBUDGETED_CONFIG = "metering.ledger.unbudgeted";
    public static final String LEDGER_UNBUDGETED_DOC = "With the ledger, what a Reserve whose subject has no budget at all gets: DENY (BUDGET_NOT_FOUND, or UNIT_MISMATCH when a scope has a budget in another unit) or ALLOW (metering only, nothing held).";
    public static final String LEDGER_UNBUDGETED_DEFAULT = "DENY";

    public static final String ON_FAILURE_CONFIG = "metering.on.failure";
    public static final String ON_FAILURE_DOC = "What a failed or cancelled stream with billable usage settles as: COMMIT_OBSERVED commits the usage seen (providers bill the tokens they generated), RELEASE releases the whole hold (the streaming guide's client).";
    public static final String ON_FAILURE_DEFAULT = FailurePolicy.COMMIT_OBSERVED.name();

    public static final String EXTEND_LEAD_MS_CONFIG = "metering.extend.lead.ms";
    public static final String EXTEND_LEAD_MS_DOC = "Extend a live hold when its expiry is this close; -1 means half the reservation's ttl.";
    public static final long EXTEND_LEAD_MS_DEFAULT = -1L;

    public static final String IDLE_TIMEOUT_MS_CONFIG = "metering.idle.timeout.ms";
    public static final String IDLE_TIMEOUT_MS_DOC = "A stream with no event for this long is abandoned and settled; -1 means the smaller of half the ttl and 30 s. Judged on the input clock: only once the task has read and committed every input record written during that time, so a backlog (a restart, a lag) never times out a live stream.";
    public static final long IDLE_TIMEOUT_MS_DEFAULT = -1L;

    public static final String MAX_EXTENSIONS_CONFIG = "metering.max.extensions";
    public static final String MAX_EXTENSIONS_DOC = "Extends per reservation at most (the protocol's max_reservation_extensions); when they are used up the stream is settled before its hold expires.";
    public static final int MAX_EXTENSIONS_DEFAULT = 10;

    public static final String LATE_USAGE_INTERVAL_MS_CONFIG = "metering.late.usage.interval.ms";
    public static final String LATE_USAGE_INTERVAL_MS_DOC = "Usage seen after a reservation was settled (or its hold lapsed) is gathered for this long into one Debit, or until the stream's End; -1 means the punctuation interval.";
    public static final long LATE_USAGE_INTERVAL_MS_DEFAULT = -1L;

    public static final String ORPHAN_TIMEOUT_MS_CONFIG = "metering.orphan.timeout.ms";
    public static final String ORPHAN_TIMEOUT_MS_DOC = "How long events of an unknown reservation wait for its Reserve before they are dead-lettered as ORPHAN, on the input clock like the idle timeout.";
    public static final long ORPHAN_TIMEOUT_MS_DEFAULT = 30_000L;

    public static final String ORPHAN_MAX_EVENTS_CONFIG = "metering.orphan.max.events";
    public static final String ORPHAN_MAX_EVENTS_DOC = "Events held per unknown reservation at most; more are dead-lettered as ORPHAN at once, so one bad producer cannot grow the store without bound.";
    public static final int ORPHAN_MAX_EVENTS_DEFAULT = 1_000;

    public static final String RETENTION_MS_CONFIG = "metering.retention.ms";
    public static final String RETENTION_MS_DOC = "How long a settled reservation is remembered to absorb duplicates and turn late usage into debits, on the input clock like the idle timeout; then it is deleted (a changelog tombstone).";
    public static final long RETENTION_MS_DEFAULT = Duration.ofHours(1).toMillis();

    public static final String PUNCTUATION_INTERVAL_MS_CONFIG = "metering.punctuation.interval.ms";
    public static final String PUNCTUATION_INTERVAL_MS_DOC = "How often (wall-clock) each task scans its deadline index for heartbeats and timeouts that are due, and audits the usage its live reservations applied since their last audit record (one record per reservation at most per interval).";
    public static final long PUNCTUATION_INTERVAL_MS_DEFAULT = 1_000L;

    public static final String MAX_DUE_PER_PUNCTUATION_CONFIG = "metering.max.due.per.punctuation";
    public static final String MAX_DUE_PER_PUNCTUATION_DOC = "Deadlines handled per punctuation at most; the rest wait for the next one, so a burst of timeouts cannot stall a task past its poll interval.";
    public static final int MAX_DUE_PER_PUNCTUATION_DEFAULT = 10_000;

    public static final String PRICE_TABLE_CONFIG = "metering.price.table";
    public static final String PRICE_TABLE_DOC = "Prices for reservations whose Reserve has no pricing, per action name: 'name=input_price:output_price,...' in the estimate's unit, for example 'gpt-4o=250:1000'.";
    public static final String PRICE_TABLE_DEFAULT = "";

    public static final String DEAD_LETTER_MAX_VALUE_BYTES_CONFIG = "metering.dead.letter.max.value.bytes";
    public static final String DEAD_LETTER_MAX_VALUE_BYTES_DOC = "Original values larger than this are cut to this size in their dead letter (the original size is recorded), so that a dead letter always fits the broker's message size limit.";
    public static final int DEAD_LETTER_MAX_VALUE_BYTES_DEFAULT = 512 * 1024;

    private static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(APPLICATION_ID_CONFIG, Type.STRING, APPLICATION_ID_DEFAULT, Importance.HIGH, APPLICATION_ID_DOC)
            .define(BOOTSTRAP_SERVERS_CONFIG, Type.LIST, List.of(), Importance.HIGH, BOOTSTRAP_SERVERS_DOC)
            .define(SCHEMA_REGISTRY_URL_CONFIG, Type.STRING, "", Importance.HIGH, SCHEMA_REGISTRY_URL_DOC)
            .define(PROCESSING_GUARANTEE_CONFIG, Type.STRING, PROCESSING_GUARANTEE_DEFAULT,
                    ValidString.in(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE), Importance.MEDIUM,
                    PROCESSING_GUARANTEE_DOC)
            .define(NUM_STANDBY_REPLICAS_CONFIG, Type.INT, NUM_STANDBY_REPLICAS_DEFAULT, Range.atLeast(0),
                    Importance.MEDIUM, NUM_STANDBY_REPLICAS_DOC)
            .define(TOPIC_PREFIX_CONFIG, Type.STRING, TOPIC_PREFIX_DEFAULT, Importance.MEDIUM, TOPIC_PREFIX_DOC)
            .define(TENANT_TOPICS_CONFIG, Type.BOOLEAN, TENANT_TOPICS_DEFAULT, Importance.MEDIUM, TENANT_TOPICS_DOC)
            .define(AUTHORITY_CONFIG, Type.STRING, AUTHORITY_DEFAULT,
                    CaseInsensitiveValidString.in(Authority.EXTERNAL.name(), Authority.LEDGER.name(),
                            Authority.CYCLES.name()),
                    Importance.HIGH, AUTHORITY_DOC)
            .define(LEDGER_UNBUDGETED_CONFIG, Type.STRING, LEDGER_UNBUDGETED_DEFAULT,
                    CaseInsensitiveValidString.in("DENY", "ALLOW"),
                    Importance.MEDIUM, LEDGER_UNBUDGETED_DOC)
            .define(ON_FAILURE_CONFIG, Type.STRING, ON_FAILURE_DEFAULT,
                    ValidString.in(FailurePolicy.COMMIT_OBSERVED.name(), FailurePolicy.RELEASE.name()),
                    Importance.MEDIUM, ON_FAILURE_DOC)
            .define(EXTEND_LEAD_MS_CONFIG, Type.LONG, EXTEND_LEAD_MS_DEFAULT, Range.atLeast(-1), Importance.MEDIUM,
                    EXTEND_LEAD_MS_DOC)
            .define(IDLE_TIMEOUT_MS_CONFIG, Type.LONG, IDLE_TIMEOUT_MS_DEFAULT, Range.atLeast(-1), Importance.MEDIUM,
                    IDLE_TIMEOUT_MS_DOC)
            .define(MAX_EXTENSIONS_CONFIG, Type.INT, MAX_EXTENSIONS_DEFAULT, Range.atLeast(0), Importance.MEDIUM,
                    MAX_EXTENSIONS_DOC)
            .define(LATE_USAGE_INTERVAL_MS_CONFIG, Type.LONG, LATE_USAGE_INTERVAL_MS_DEFAULT, Range.atLeast(-1),
                    Importance.LOW, LATE_USAGE_INTERVAL_MS_DOC)
            .define(ORPHAN_TIMEOUT_MS_CONFIG, Type.LONG, ORPHAN_TIMEOUT_MS_DEFAULT, Range.atLeast(0), Importance.LOW,
                    ORPHAN_TIMEOUT_MS_DOC)
            .define(ORPHAN_MAX_EVENTS_CONFIG, Type.INT, ORPHAN_MAX_EVENTS_DEFAULT, Range.atLeast(1), Importance.LOW,
                    ORPHAN_MAX_EVENTS_DOC)
            .define(RETENTION_MS_CONFIG, Type.LONG, RETENTION_MS_DEFAULT, Range.atLeast(0), Importance.MEDIUM,
                    RETENTION_MS_DOC)
            .define(PUNCTUATION_INTERVAL_MS_CONFIG, Type.LONG, PUNCTUATION_INTERVAL_MS_DEFAULT, Range.atLeast(10),
                    Importance.LOW, PUNCTUATION_INTERVAL_MS_DOC)
            .define(MAX_DUE_PER_PUNCTUATION_CONFIG, Type.INT, MAX_DUE_PER_PUNCTUATION_DEFAULT, Range.atLeast(1),
                    Importance.LOW, MAX_DUE_PER_PUNCTUATION_DOC)
            .define(PRICE_TABLE_CONFIG, Type.STRING, PRICE_TABLE_DEFAULT, Importance.MEDIUM, PRICE_TABLE_DOC)
            .define(DEAD_LETTER_MAX_VALUE_BYTES_CONFIG, Type.INT, DEAD_LETTER_MAX_VALUE_BYTES_DEFAULT,
                    Range.between(1024, 16 * 1024 * 1024), Importance.LOW, DEAD_LETTER_MAX_VALUE_BYTES_DOC);

    /** Creates a config from any map of settings; unknown keys are kept for Kafka Streams and the serdes. */
    public MeteringConfig(final Map<?, ?> originals) {
        super(CONFIG_DEF, originals, false);
    }

    /** The definition of every metering key, for documentation and the CLI's config reference. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG_DEF);
    }

    /** The lifecycle rules this config selects. */
    public MeteringPolicy policy() {
        return new MeteringPolicy(
                authority(),
                FailurePolicy.valueOf(getString(ON_FAILURE_CONFIG)),
                getLong(EXTEND_LEAD_MS_CONFIG),
                getLong(IDLE_TIMEOUT_MS_CONFIG),
                getInt(MAX_EXTENSIONS_CONFIG),
                getLong(LATE_USAGE_INTERVAL_MS_CONFIG) < 0 ? getLong(PUNCTUATION_INTERVAL_MS_CONFIG)
                        : getLong(LATE_USAGE_INTERVAL_MS_CONFIG),
                getLong(RETENTION_MS_CONFIG),
                PriceTable.parse(getString(PRICE_TABLE_CONFIG)));
    }

    /** Who decides Reserves and holds the budgets. */
    public Authority authority() {
        return Authority.valueOf(getString(AUTHORITY_CONFIG).toUpperCase(Locale.ROOT));
    }

    /** With the ledger, whether a Reserve of a subject with no budget at all is allowed (metering only). */
    public boolean allowUnbudgeted() {
        return "ALLOW".equalsIgnoreCase(getString(LEDGER_UNBUDGETED_CONFIG));
    }

    /** What each lifecycle task runs with. */
    public TaskSettings taskSettings() {
        return new TaskSettings(policy(), punctuationInterval(), maxDuePerPunctuation(), orphanTimeoutMs(),
                orphanMaxEvents(), deadLetterMaxValueBytes(), inputTenancy());
    }

    /** Whose events each input topic may carry: any tenant's, or with tenant topics its own tenant's alone. */
    public InputTenancy inputTenancy() {
        return getBoolean(TENANT_TOPICS_CONFIG) ? InputTenancy.perTenantTopics(topicPrefix()) : InputTenancy.shared();
    }

    public String topicPrefix() {
        return getString(TOPIC_PREFIX_CONFIG);
    }

    public Duration punctuationInterval() {
        return Duration.ofMillis(getLong(PUNCTUATION_INTERVAL_MS_CONFIG));
    }

    public long orphanTimeoutMs() {
        return getLong(ORPHAN_TIMEOUT_MS_CONFIG);
    }

    public int orphanMaxEvents() {
        return getInt(ORPHAN_MAX_EVENTS_CONFIG);
    }

    public int maxDuePerPunctuation() {
        return getInt(MAX_DUE_PER_PUNCTUATION_CONFIG);
    }

    public int deadLetterMaxValueBytes() {
        return getInt(DEAD_LETTER_MAX_VALUE_BYTES_CONFIG);
    }

    /**
     * Settings for the serdes of topics and stores: every original key, so registry and auth settings reach them.
     * Unless set, registry calls give up after about 10 s (5 s per request, one retry) instead of the serde's minute,
     * so that a registry outage surfaces while the exactly-once transaction that waits on it is still open.
     */
    public Map<String, Object> serdeConfig() {
        final Map<String, Object> serde = new HashMap<>();
        serde.put(AvroSerdeConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        serde.put(AvroSerdeConfig.MAX_RETRIES_CONFIG, 1);
        serde.putAll(originals());
        return serde;
    }

    /**
     * The properties to start Kafka Streams with: every original key, plus this application's defaults for the keys
     * it has an opinion on (application id, exactly-once, standby replicas). Its producer batches up to 64 KiB
     * ({@code producer.batch.size}) unless set otherwise: the application writes an audit record of a few hundred
     * bytes per event, and Kafka's 16 KiB default fills within a millisecond under load (in the throughput bench,
     * 64 KiB cut the application's CPU per event by about a sixth). {@code max.task.idle.ms} is -1 unless set: a
     * task reads its partitions of several topics (events, and command results or the ledger's replies), most of them
     * empty most of the time, and at Kafka's default (0) every record first checks each empty one for data at the
     * broker, so as to interleave the topics by timestamp; the lifecycle needs no such order (a decision or a
     * command's result and the events of its reservation are applied in whichever order they come, with the same
     * outcome), and the check cost about a twentieth of the application's CPU per event. The exception handlers are
     * the application's: see {@code MeteringApp#streamsProperties}.
     */
    public Properties streamsProperties() {
        final Properties properties = new Properties();
        properties.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), PRODUCER_BATCH_SIZE);
        properties.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, MAX_TASK_IDLE_MS);
        properties.putAll(originals());
        properties.put(APPLICATION_ID_CONFIG, getString(APPLICATION_ID_CONFIG));
        properties.put(PROCESSING_GUARANTEE_CONFIG, getString(PROCESSING_GUARANTEE_CONFIG));
        properties.put(NUM_STANDBY_REPLICAS_CONFIG, getInt(NUM_STANDBY_REPLICAS_CONFIG));
        if (!getList(BOOTSTRAP_SERVERS_CONFIG).isEmpty()) {
            properties.put(BOOTSTRAP_SERVERS_CONFIG, String.join(",", getList(BOOTSTRAP_SERVERS_CONFIG)));
        }
        return properties;
    }
}
