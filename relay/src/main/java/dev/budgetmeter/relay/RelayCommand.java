package dev.budgetmeter.relay;

import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code budget-meter relay --cycles-url URL}: applies the commands topic to a Cycles server until SIGTERM, with
 * {@code /health}, {@code /ready} and {@code /metrics} on {@code --http-port}. Settings, later wins: the defaults,
 * {@code --config FILE}, the environment ({@code KAFKA_BOOTSTRAP_SERVERS}, {@code SCHEMA_REGISTRY_URL},
 * {@code BUDGET_METER_METERING_TOPIC_PREFIX}, {@code CYCLES_URL}), the flags. API keys come from
 * {@code --api-keys-file} (tenant=key lines, read again when the file changes) or {@code $CYCLES_API_KEY} /
 * {@code $CYCLES_API_KEYS}; they are never logged. Exits 1 when the relay stops on its own, so an orchestrator
 * restarts it.
 */
@Command(name = "relay", mixinStandardHelpOptions = true,
        description = {"Applies every command of the commands topic to a Cycles server exactly once, and writes the",
                "server's answers to the command-results topic; runs until SIGTERM."})
public final class RelayCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RelayCommand.class);

    @Option(names = "--cycles-url", paramLabel = "URL", description = "The Cycles server (default: $CYCLES_URL).")
    private String cyclesUrl;

    @Option(names = "--api-keys-file", paramLabel = "FILE",
            description = "tenant=API key lines ('*' for any tenant); else $CYCLES_API_KEY or $CYCLES_API_KEYS.")
    private Path apiKeysFile;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers (default: $KAFKA_BOOTSTRAP_SERVERS).")
    private String bootstrapServers;

    @Option(names = "--schema-registry-url", paramLabel = "URL",
            description = "Schema registry URL (default: $SCHEMA_REGISTRY_URL).")
    private String schemaRegistryUrl;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX",
            description = "Prefix of the topic names (default: $BUDGET_METER_METERING_TOPIC_PREFIX or budget.).")
    private String topicPrefix;

    @Option(names = "--config", paramLabel = "FILE", description = "A properties file of relay.* and client settings.")
    private Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Any setting (repeatable).")
    private Map<String, String> overrides = new HashMap<>();

    @Option(names = "--http-host", paramLabel = "HOST", defaultValue = "0.0.0.0",
            description = "Address of the HTTP endpoint (default: ${DEFAULT-VALUE}).")
    private String httpHost;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "8081",
            description = "Port of /health, /ready and /metrics; 0 picks one (default: ${DEFAULT-VALUE}).")
    private int httpPort;

    private final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() throws IOException, InterruptedException {
        final RelayConfig config = new RelayConfig(settings(System.getenv()));
        final CommandRelay relay = CommandRelay.create(config, System.getenv());
        final Thread hook = new Thread(stop::countDown, "budget-meter-relay-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (RelayEndpoints endpoints = RelayEndpoints.start(new InetSocketAddress(httpHost, httpPort), relay)) {
            LOG.info("HTTP endpoint on port {}: /health /ready /metrics", endpoints.port());
            relay.start();
            while (!stop.await(1, TimeUnit.SECONDS)) {
                if (!relay.isAlive()) {
                    LOG.error("The relay stopped on its own; exiting");
                    return 1;
                }
            }
            return 0;
        } finally {
            relay.close(Duration.ofSeconds(30));
        }
    }

    /** Defaults < file < environment < flags. */
    Map<String, Object> settings(final Map<String, String> environment) throws IOException {
        final Map<String, Object> settings = new HashMap<>();
        if (configFile != null) {
            final Properties properties = new Properties();
            try (Reader in = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
                properties.load(in);
            }
            properties.forEach((key, value) -> settings.put(key.toString(), value.toString()));
        }
        putIfGiven(settings, "bootstrap.servers", environment.get("KAFKA_BOOTSTRAP_SERVERS"));
        putIfGiven(settings, RelayConfig.SCHEMA_REGISTRY_URL_CONFIG, environment.get("SCHEMA_REGISTRY_URL"));
        putIfGiven(settings, RelayConfig.TOPIC_PREFIX_CONFIG, environment.get("BUDGET_METER_METERING_TOPIC_PREFIX"));
        putIfGiven(settings, RelayConfig.CYCLES_URL_CONFIG, environment.get("CYCLES_URL"));
        settings.putAll(overrides);
        putIfGiven(settings, "bootstrap.servers", bootstrapServers);
        putIfGiven(settings, RelayConfig.SCHEMA_REGISTRY_URL_CONFIG, schemaRegistryUrl);
        putIfGiven(settings, RelayConfig.TOPIC_PREFIX_CONFIG, topicPrefix);
        putIfGiven(settings, RelayConfig.CYCLES_URL_CONFIG, cyclesUrl);
        putIfGiven(settings, RelayConfig.API_KEYS_FILE_CONFIG, apiKeysFile == null ? null : apiKeysFile.toString());
        return settings;
    }

    private static void putIfGiven(final Map<String, Object> settings, final String key, final String value) {
        if (value != null && !value.isBlank()) {
            settings.put(key, value.strip());
        }
    }
}
