package dev.budgetmeter.relay;

import dev.budgetmeter.cycles.Backoff;
import dev.budgetmeter.topics.Topics;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * Every setting of the relay with its documented default. The {@code relay.*} keys are the relay's; any other key
 * (a Kafka client setting such as {@code security.protocol} or {@code sasl.jaas.config}, a serde setting such as
 * {@code basic.auth.user.info}) goes to its Kafka clients and serdes unchanged.
 */
public final class RelayConfig extends AbstractConfig {

    public static final String CYCLES_URL_CONFIG = "relay.cycles.url";
    public static final String CYCLES_URL_DOC = "Base URL of the Cycles server, for example http://cycles:7878; required.";

    public static final String API_KEYS_FILE_CONFIG = "relay.api.keys.file";
    public static final String API_KEYS_FILE_DOC = "Properties file of tenant=API key lines ('*' for any other tenant), read again when it changes; else $CYCLES_API_KEY (every tenant) and $CYCLES_API_KEYS (tenant=key,...). Keys are never logged.";

    public static final String GROUP_ID_CONFIG = "relay.group.id";
    public static final String GROUP_ID_DOC = "The relay's consumer group on the commands topic; instances with one group share the partitions.";
    public static final String GROUP_ID_DEFAULT = "budget-meter-relay";

    public static final String MAX_IN_FLIGHT_CONFIG = "relay.max.in.flight";
    public static final String MAX_IN_FLIGHT_DOC = "Commands applied at once at most, each of another reservation (one reservation's commands go one after another, in order).";
    public static final int MAX_IN_FLIGHT_DEFAULT = 64;

    public static final String CONNECT_TIMEOUT_MS_CONFIG = "relay.connect.timeout.ms";
    public static final String CONNECT_TIMEOUT_MS_DOC = "Bound on opening a connection to the Cycles server.";
    public static final long CONNECT_TIMEOUT_MS_DEFAULT = 2_000L;

    public static final String REQUEST_TIMEOUT_MS_CONFIG = "relay.request.timeout.ms";
    public static final String REQUEST_TIMEOUT_MS_DOC = "Bound on one request, from sending it to reading its answer; past it the request is sent again under the same key.";
    public static final long REQUEST_TIMEOUT_MS_DEFAULT = 10_000L;

    public static final String RETRY_INITIAL_MS_CONFIG = "relay.retry.initial.ms";
    public static final String RETRY_INITIAL_MS_DOC = "First backoff after an ambiguous answer (5xx, timeout, malformed success), doubled on each retry.";
    public static final long RETRY_INITIAL_MS_DEFAULT = 500L;

    public static final String RETRY_MAX_MS_CONFIG = "relay.retry.max.ms";
    public static final String RETRY_MAX_MS_DOC = "Longest backoff; retries of an ambiguous answer never stop, so no command is lost.";
    public static final long RETRY_MAX_MS_DEFAULT = 30_000L;

    public static final String AUTH_PAUSE_MS_CONFIG = "relay.auth.pause.ms";
    public static final String AUTH_PAUSE_MS_DOC = "After a 401 the command waits this long and is sent again (with the key the keys file holds then).";
    public static final long AUTH_PAUSE_MS_DEFAULT = 5_000L;

    public static final String EVENT_KEY_WINDOW_MS_CONFIG = "relay.event.key.window.ms";
    public static final String EVENT_KEY_WINDOW_MS_DOC = "How long the server keeps the idempotency keys of events (the reference server: 7 days). An event command older than this is dead-lettered, never sent blind.";
    public static final long EVENT_KEY_WINDOW_MS_DEFAULT = CommandApplier.DEFAULT_EVENT_KEY_WINDOW.toMillis();

    public static final String TOPIC_PREFIX_CONFIG = "metering.topic.prefix";
    public static final String TOPIC_PREFIX_DOC = "Prefix of the topic names, as the topology's.";

    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
    public static final String SCHEMA_REGISTRY_URL_DOC = "Confluent-compatible schema registry URL(s).";

    private static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(CYCLES_URL_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH, CYCLES_URL_DOC)
            .define(API_KEYS_FILE_CONFIG, Type.STRING, "", Importance.HIGH, API_KEYS_FILE_DOC)
            .define(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, Type.LIST, ConfigDef.NO_DEFAULT_VALUE,
                    Importance.HIGH, "Kafka brokers to bootstrap from.")
            .define(SCHEMA_REGISTRY_URL_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
                    SCHEMA_REGISTRY_URL_DOC)
            .define(TOPIC_PREFIX_CONFIG, Type.STRING, Topics.DEFAULT_PREFIX, Importance.MEDIUM, TOPIC_PREFIX_DOC)
            .define(GROUP_ID_CONFIG, Type.STRING, GROUP_ID_DEFAULT, Importance.MEDIUM, GROUP_ID_DOC)
            .define(MAX_IN_FLIGHT_CONFIG, Type.INT, MAX_IN_FLIGHT_DEFAULT, Range.between(1, 10_000), Importance.MEDIUM,
                    MAX_IN_FLIGHT_DOC)
            .define(CONNECT_TIMEOUT_MS_CONFIG, Type.LONG, CONNECT_TIMEOUT_MS_DEFAULT, Range.atLeast(1),
                    Importance.LOW, CONNECT_TIMEOUT_MS_DOC)
            .define(REQUEST_TIMEOUT_MS_CONFIG, Type.LONG, REQUEST_TIMEOUT_MS_DEFAULT, Range.atLeast(1),
                    Importance.MEDIUM, REQUEST_TIMEOUT_MS_DOC)
            .define(RETRY_INITIAL_MS_CONFIG, Type.LONG, RETRY_INITIAL_MS_DEFAULT, Range.atLeast(1), Importance.LOW,
                    RETRY_INITIAL_MS_DOC)
            .define(RETRY_MAX_MS_CONFIG, Type.LONG, RETRY_MAX_MS_DEFAULT, Range.atLeast(1), Importance.LOW,
                    RETRY_MAX_MS_DOC)
            .define(AUTH_PAUSE_MS_CONFIG, Type.LONG, AUTH_PAUSE_MS_DEFAULT, Range.atLeast(1), Importance.LOW,
                    AUTH_PAUSE_MS_DOC)
            .define(EVENT_KEY_WINDOW_MS_CONFIG, Type.LONG, EVENT_KEY_WINDOW_MS_DEFAULT, Range.atLeast(1),
                    Importance.LOW, EVENT_KEY_WINDOW_MS_DOC);

    public RelayConfig(final Map<?, ?> originals) {
        super(CONFIG_DEF, originals, false);
    }

    /** The definition of every key, for documentation. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG_DEF);
    }

    public URI cyclesUrl() {
        return URI.create(getString(CYCLES_URL_CONFIG));
    }

    public String apiKeysFile() {
        return getString(API_KEYS_FILE_CONFIG);
    }

    public String topicPrefix() {
        return getString(TOPIC_PREFIX_CONFIG);
    }

    public String groupId() {
        return getString(GROUP_ID_CONFIG);
    }

    public int maxInFlight() {
        return getInt(MAX_IN_FLIGHT_CONFIG);
    }

    public Duration connectTimeout() {
        return Duration.ofMillis(getLong(CONNECT_TIMEOUT_MS_CONFIG));
    }

    public Duration requestTimeout() {
        return Duration.ofMillis(getLong(REQUEST_TIMEOUT_MS_CONFIG));
    }

    public Backoff backoff() {
        return new Backoff(Duration.ofMillis(getLong(RETRY_INITIAL_MS_CONFIG)),
                Duration.ofMillis(Math.max(getLong(RETRY_INITIAL_MS_CONFIG), getLong(RETRY_MAX_MS_CONFIG))));
    }

    public Duration authPause() {
        return Duration.ofMillis(getLong(AUTH_PAUSE_MS_CONFIG));
    }

    public Duration eventKeyWindow() {
        return Duration.ofMillis(getLong(EVENT_KEY_WINDOW_MS_CONFIG));
    }

    /** The settings every Kafka client of the relay starts from: the keys that are not the relay's own. */
    Map<String, Object> clientSettings() {
        final Map<String, Object> settings = new HashMap<>();
        originals().forEach((key, value) -> {
            if (!key.startsWith("relay.") && !key.equals(TOPIC_PREFIX_CONFIG)) {
                settings.put(key, value);
            }
        });
        settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                String.join(",", getList(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)));
        return settings;
    }

    /** The settings of the serdes: the same keys, the registry URL included. */
    Map<String, Object> serdeSettings() {
        return clientSettings();
    }
}
