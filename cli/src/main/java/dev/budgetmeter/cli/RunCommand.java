package dev.budgetmeter.cli;

import dev.budgetmeter.cli.run.HealthServer;
import dev.budgetmeter.cli.run.LogLevels;
import dev.budgetmeter.cli.run.PrometheusMetrics;
import dev.budgetmeter.cli.run.RunSettings;
import dev.budgetmeter.cli.run.StopSignals;
import dev.budgetmeter.topology.MeteringConfig;
import dev.budgetmeter.topology.app.MeteringApp;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code budget-meter run}: the metering topology against a configured cluster, until SIGTERM (or the application
 * fails), with {@code /health}, {@code /ready} and {@code /metrics} on {@code --http-port}.
 *
 * <p>SIGTERM (and SIGINT) ask this command to stop: the application closes (committing what it processed) within
 * {@code --shutdown-timeout-seconds}, and the command exits 0 once it closed, or 1 when closing failed or did not end
 * in time. If the application fails on its own, the command closes it and exits 1, so an orchestrator restarts the
 * process. Where the JVM does not let the signals be handled, its shutdown hook still closes the application, and the
 * exit code is then the JVM's own (143 on SIGTERM).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs the metering topology against a Kafka cluster, until SIGTERM.",
                "Settings, each source overriding the one before: defaults < --config FILE < environment",
                "($KAFKA_BOOTSTRAP_SERVERS, $SCHEMA_REGISTRY_URL, then BUDGET_METER_<KEY> with _ for ., e.g.",
                "BUDGET_METER_METERING_IDLE_TIMEOUT_MS) < flags. Topics must exist (budget-meter topics)."})
final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);
    private static final Duration LIVENESS_CHECK = Duration.ofSeconds(1);

    @Spec
    private CommandSpec spec;

    @Mixin
    private ClusterOptions cluster;

    @Option(names = "--config", paramLabel = "FILE", description = "A properties file of settings.")
    private Path configFile;

    @Option(names = "--application-id", paramLabel = "ID",
            description = "Kafka Streams application id (default: " + MeteringConfig.APPLICATION_ID_DEFAULT + ").")
    private String applicationId;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Any setting, metering.* or Kafka Streams (repeatable).")
    private Map<String, String> overrides = new HashMap<>();

    @Option(names = "--http-host", paramLabel = "HOST", defaultValue = "0.0.0.0",
            description = "Address of the HTTP endpoint (default: ${DEFAULT-VALUE}).")
    private String httpHost;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "8080",
            description = "Port of /health, /ready and /metrics; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    private int httpPort;

    @Option(names = "--shutdown-timeout-seconds", paramLabel = "S", defaultValue = "30",
            description = "Bound on closing the application on SIGTERM (default: ${DEFAULT-VALUE}).")
    private int shutdownTimeoutSeconds;

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public Integer call() throws IOException {
        LogLevels.service();
        final RunSettings settings = settings();
        settings.describe().forEach(line -> LOG.info("setting {}", line));
        final MeteringApp app = MeteringApp.create(settings.config());
        // The hook only matters where the signals could not be taken, or when something else exits the JVM.
        final Thread hook = new Thread(this::stopOnSignal, "budget-meter-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        final StopSignals signals = StopSignals.install(this::requestStop);
        int exitCode = 1;
        PrometheusMetrics metrics = null;
        HealthServer server = null;
        try {
            // Bound before the start, so /metrics shows the application from its first state on.
            metrics = PrometheusMetrics.of(app.meterBinder());
            server = HealthServer.start(new InetSocketAddress(httpHost, httpPort),
                    new HealthServer.Probe(app::isAlive, app::isReady, metrics));
            LOG.info("HTTP endpoint on port {}: /health /ready /metrics", server.port());
            app.start();
            exitCode = awaitStopOrFailure(app);
        } finally {
            if (server != null) {
                server.close();
            }
            if (metrics != null) {
                closeQuietly(metrics);
            }
            if (!close(app)) {
                exitCode = 1;
            }
            stopped.countDown();
            removeHook(hook);
            signals.close();
        }
        return exitCode;
    }

    /** Asks the running command to stop; returns at once. */
    private void requestStop() {
        stopRequested.countDown();
    }

    /** Whether the application reached NOT_RUNNING within the timeout: ERROR or still closing count as failures. */
    private boolean close(final MeteringApp app) {
        app.close(Duration.ofSeconds(shutdownTimeoutSeconds));
        final KafkaStreams.State state = app.state();
        if (state == KafkaStreams.State.NOT_RUNNING) {
            LOG.info("Metering application closed");
            return true;
        }
        LOG.error("The metering application did not close cleanly (state {}; closing was bounded by {} s)", state,
                shutdownTimeoutSeconds);
        return false;
    }

    private int awaitStopOrFailure(final MeteringApp app) {
        try {
            while (!stopRequested.await(LIVENESS_CHECK.toMillis(), TimeUnit.MILLISECONDS)) {
                if (!app.isAlive()) {
                    LOG.error("The metering application stopped on its own (state {}); exiting", app.state());
                    return 1;
                }
            }
            LOG.info("Stop requested; closing within {} s", shutdownTimeoutSeconds);
            return 0;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** The shutdown hook: the JVM exits once hooks return, so wait until the application closed. */
    private void stopOnSignal() {
        requestStop();
        try {
            stopped.await(shutdownTimeoutSeconds + 5L, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private RunSettings settings() throws IOException {
        final Map<String, String> flags = new HashMap<>(overrides);
        putFlag(flags, MeteringConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServersFlag());
        putFlag(flags, MeteringConfig.SCHEMA_REGISTRY_URL_CONFIG, cluster.schemaRegistryUrlFlag());
        putFlag(flags, MeteringConfig.TOPIC_PREFIX_CONFIG, cluster.topicPrefixFlag());
        putFlag(flags, MeteringConfig.APPLICATION_ID_CONFIG, applicationId);
        final Map<String, String> file = configFile == null ? Map.of() : RunSettings.loadFile(configFile);
        try {
            return RunSettings.resolve(file, System.getenv(), flags);
        } catch (final IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static void putFlag(final Map<String, String> flags, final String key, final String value) {
        if (value != null) {
            flags.put(key, value);
        }
    }

    /** Metrics that fail to close must not keep the application from closing. */
    private static void closeQuietly(final PrometheusMetrics metrics) {
        try {
            metrics.close();
        } catch (final RuntimeException e) {
            LOG.warn("Closing the metrics failed", e);
        }
    }

    private static void removeHook(final Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (final IllegalStateException shuttingDown) {
            // The hook is running: it is what asked us to stop.
        }
    }
}
