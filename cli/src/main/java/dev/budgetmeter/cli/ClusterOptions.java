package dev.budgetmeter.cli;

import dev.budgetmeter.cli.run.RunSettings;
import dev.budgetmeter.topics.TopicRegistry;
import dev.budgetmeter.topics.Topics;
import dev.budgetmeter.topology.MeteringConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Where the cluster is, for the commands that talk to one: a flag wins, then the conventional environment variable
 * ({@value #BOOTSTRAP_SERVERS_ENV}, {@value #SCHEMA_REGISTRY_URL_ENV}, {@value #TOPIC_PREFIX_ENV}), then the default
 * (topic prefix only). A missing address is a usage error naming both ways to give it.
 *
 * <p>On a secured cluster, {@code --command-config FILE} (or {@value #COMMAND_CONFIG_ENV}) names a Kafka client
 * properties file, as Kafka's own tools take it: {@code security.protocol}, {@code sasl.mechanism},
 * {@code sasl.jaas.config}, {@code ssl.truststore.*}. The secrets stay in that file (or behind Kafka's config
 * providers, {@code ${file:...}} and {@code ${env:...}}), never on the command line, and no command prints them.
 */
public final class ClusterOptions {

    public static final String BOOTSTRAP_SERVERS_ENV = "KAFKA_BOOTSTRAP_SERVERS";
    public static final String SCHEMA_REGISTRY_URL_ENV = "SCHEMA_REGISTRY_URL";
    /** The Kafka client properties file of the commands' own clients, when no flag names one. */
    public static final String COMMAND_CONFIG_ENV = "BUDGET_METER_COMMAND_CONFIG";
    /** The same variable that sets {@code metering.topic.prefix} for {@code run}. */
    public static final String TOPIC_PREFIX_ENV = "BUDGET_METER_METERING_TOPIC_PREFIX";

    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers (default: $" + BOOTSTRAP_SERVERS_ENV + ").")
    private String bootstrapServers;

    @Option(names = "--schema-registry-url", paramLabel = "URL",
            description = "Confluent-compatible schema registry URL (default: $" + SCHEMA_REGISTRY_URL_ENV + ").")
    private String schemaRegistryUrl;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX",
            description = "Prefix of the topic names (default: $" + TOPIC_PREFIX_ENV + " or " + Topics.DEFAULT_PREFIX
                    + ").")
    private String topicPrefix;

    @Option(names = "--command-config", paramLabel = "FILE",
            description = "Kafka client properties for a secured cluster: SASL, TLS (default: $" + COMMAND_CONFIG_ENV
                    + ").")
    private Path commandConfig;

    /** Where environment variables are read; the process environment unless a test says otherwise. */
    UnaryOperator<String> environment = System::getenv;

    /** The bootstrap servers, from the flag or the environment. */
    public String bootstrapServers() {
        return required(bootstrapServers, BOOTSTRAP_SERVERS_ENV, "--bootstrap-servers");
    }

    /**
     * What a Kafka client of these commands connects with: the bootstrap servers and every property of the command
     * config file, if one is given.
     */
    public Map<String, Object> clientProperties() {
        final Map<String, Object> properties = new HashMap<>();
        final String file = commandConfig != null ? commandConfig.toString()
                : firstText(environment.apply(COMMAND_CONFIG_ENV));
        if (file != null) {
            try {
                properties.putAll(RunSettings.loadFile(Path.of(file)));
            } catch (final IOException e) {
                throw new ParameterException(spec.commandLine(), "cannot read --command-config " + file + ": " + e);
            }
        }
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return properties;
    }

    /** The registry URL, from the flag or the environment. */
    public String schemaRegistryUrl() {
        return required(schemaRegistryUrl, SCHEMA_REGISTRY_URL_ENV, "--schema-registry-url");
    }

    public String topicPrefix() {
        final String value = firstText(topicPrefix, environment.apply(TOPIC_PREFIX_ENV));
        return value != null ? value : Topics.DEFAULT_PREFIX;
    }

    /** True when an address was given by flag or environment (the demo then uses that cluster). */
    public boolean clusterGiven() {
        return firstText(bootstrapServers, environment.apply(BOOTSTRAP_SERVERS_ENV)) != null;
    }

    /** The deployment's topics with serdes for its registry. */
    public TopicRegistry topicRegistry() {
        return TopicRegistry.create(topicPrefix(),
                Map.of(MeteringConfig.SCHEMA_REGISTRY_URL_CONFIG, schemaRegistryUrl()));
    }

    /** The flag values as given, null when absent: for {@code run}, which ranks them above its other sources. */
    String bootstrapServersFlag() {
        return bootstrapServers;
    }

    String schemaRegistryUrlFlag() {
        return schemaRegistryUrl;
    }

    String topicPrefixFlag() {
        return topicPrefix;
    }

    private String required(final String flag, final String env, final String flagName) {
        final String value = firstText(flag, environment.apply(env));
        if (value == null) {
            throw new ParameterException(spec.commandLine(), "Missing " + flagName + " (or set $" + env + ")");
        }
        return value;
    }

    private static String firstText(final String... candidates) {
        for (final String candidate : candidates) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate.strip();
            }
        }
        return null;
    }
}
