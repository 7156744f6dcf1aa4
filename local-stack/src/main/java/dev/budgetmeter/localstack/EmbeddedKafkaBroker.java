package dev.budgetmeter.localstack;

import dev.budgetmeter.localstack.internal.Deadline;
import dev.budgetmeter.localstack.internal.Directories;
import dev.budgetmeter.localstack.internal.KafkaExitGuard;
import dev.budgetmeter.localstack.internal.KraftStorage;
import dev.budgetmeter.localstack.internal.Loopback;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A single-node Apache Kafka cluster in KRaft combined mode (broker and controller in one server), running inside this
 * JVM.
 *
 * <p>Why in-process rather than a child JVM: it starts in a few seconds instead of paying a second JVM's start-up,
 * uses less memory, can never outlive the test JVM (no watchdog needed), and a restart is just a new
 * {@link KafkaRaftServer} over the same configuration and log directory. The price is sharing the heap and the
 * logging configuration with the host; the broker logs through SLF4J under the logger names {@code kafka} and
 * {@code org.apache.kafka}, which is where failure messages point. Where a broker process would halt on a fatal fault,
 * this one leaves the JVM running and fails instead ({@link KafkaExitGuard}).
 *
 * <p>Guarantees: listens on {@code 127.0.0.1} only; transactions work on the single node (transaction state log
 * replication factor 1, min ISR 1); {@link #stop()} then {@link #start()} brings the broker back on the same port with
 * the same log directory, so committed data and offsets survive a restart.
 */
public final class EmbeddedKafkaBroker implements StackComponent {

    /** The component name used in logs and failure messages. */
    public static final String COMPONENT = "Kafka broker";
    /** The name of the broker's KRaft controller listener in failure messages. */
    public static final String CONTROLLER_COMPONENT = "Kafka KRaft controller";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final String LOG_HINT = "broker log: SLF4J loggers 'kafka' and 'org.apache.kafka' of this JVM";

    private final int port;
    private final int controllerPort;
    private final Path logDir;
    private final Path configFile;
    private final Properties config;
    private final Duration startTimeout;
    private KafkaRaftServer server;

    EmbeddedKafkaBroker(final Path workDir, final int port, final int controllerPort,
            final LocalStackOptions options) {
        this.port = port;
        this.controllerPort = controllerPort;
        this.logDir = workDir.resolve("data");
        this.configFile = workDir.resolve("server.properties");
        this.config = KraftBrokerConfig.of(port, controllerPort, logDir, options);
        this.startTimeout = options.brokerStartTimeout();
    }

    /** The {@code bootstrap.servers} value, e.g. {@code 127.0.0.1:40123}; the same across restarts. */
    public String bootstrapServers() {
        return Loopback.address(port);
    }

    /** The KRaft log directory (topics, offsets and cluster metadata); the same across restarts. */
    public Path logDir() {
        return logDir;
    }

    /**
     * Starts the broker, formatting its log directory on the first start, and returns once it answers clients.
     *
     * @throws PortInUseException      if the client or controller port is taken
     * @throws ComponentStartException if it does not answer within the start timeout
     */
    @Override
    public synchronized void start() {
        if (server != null) {
            return;
        }
        final Deadline deadline = Deadline.in(startTimeout);
        LoopbackPorts.requireFree(port, COMPONENT);
        LoopbackPorts.requireFree(controllerPort, CONTROLLER_COMPONENT);
        formatOnFirstStart();
        KafkaExitGuard.install();
        final KafkaRaftServer candidate = new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
        startWithin(candidate, deadline);
        awaitClients(candidate, deadline);
        server = candidate;
        LOG.info("{} up at {} in {} (log dir {})", COMPONENT, bootstrapServers(), Deadline.seconds(deadline.elapsed()),
                logDir);
    }

    /** Shuts the broker down cleanly (a controlled shutdown) and waits until its ports are closed. */
    @Override
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        shutDown(server);
        server = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return server != null;
    }

    @Override
    public String toString() {
        return COMPONENT + " at " + bootstrapServers() + " (log dir " + logDir + ")";
    }

    private void formatOnFirstStart() {
        if (KraftStorage.isFormatted(logDir)) {
            return;
        }
        try {
            Directories.create(logDir);
            KraftStorage.format(config, configFile);
        } catch (final RuntimeException e) {
            throw notReady("could not format its log dir", e);
        }
    }

    private void startWithin(final KafkaRaftServer candidate, final Deadline deadline) {
        // startup() can block for good (e.g. waiting to be unfenced by a controller that never comes up): bound it.
        final FutureTask<Void> startup = new FutureTask<>(candidate::startup, null);
        final Thread thread = new Thread(startup, "budgetmeter-kafka-startup");
        thread.setDaemon(true);
        thread.start();
        try {
            startup.get(deadline.remaining().toMillis(), TimeUnit.MILLISECONDS);
        } catch (final TimeoutException e) {
            shutDownInBackground(candidate);
            throw notReady("did not finish starting within " + Deadline.seconds(deadline.budget()), e);
        } catch (final ExecutionException e) {
            shutDownQuietly(candidate);
            throw startFailure(e.getCause());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            shutDownInBackground(candidate);
            throw notReady("start was interrupted", e);
        }
    }

    private void awaitClients(final KafkaRaftServer candidate, final Deadline deadline) {
        final int timeoutMs = (int) Math.max(1, deadline.remaining().toMillis());
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs))) {
            admin.describeCluster().nodes().get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (final ExecutionException | TimeoutException e) {
            shutDownInBackground(candidate);
            throw notReady("started but did not answer a client within " + Deadline.seconds(deadline.budget()), e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            shutDownInBackground(candidate);
            throw notReady("start was interrupted", e);
        }
    }

    private ComponentStartException startFailure(final Throwable failure) {
        // Another process may have taken a port between the check and Kafka's bind; Kafka then reports a fatal fault
        // without naming the port in the exception, so ask the ports themselves (the failed server is down by now).
        if (!LoopbackPorts.isFree(port)) {
            return new PortInUseException(COMPONENT, port, failure);
        }
        if (!LoopbackPorts.isFree(controllerPort)) {
            return new PortInUseException(CONTROLLER_COMPONENT, controllerPort, failure);
        }
        return notReady("failed to start", failure);
    }

    private ComponentStartException notReady(final String what, final Throwable cause) {
        return new ComponentStartException(COMPONENT, what + " at " + bootstrapServers() + " (controller "
                + Loopback.address(controllerPort) + ", log dir " + logDir + "; " + LOG_HINT + ")", cause);
    }

    private static void shutDown(final KafkaRaftServer target) {
        target.shutdown();
        target.awaitShutdown();
    }

    private static void shutDownQuietly(final KafkaRaftServer target) {
        try {
            shutDown(target);
        } catch (final RuntimeException e) {
            LOG.warn("Shutting down the {} after a failed start failed too", COMPONENT, e);
        }
    }

    private static void shutDownInBackground(final KafkaRaftServer target) {
        // A half-started server may take long to stop; the caller is already failing and must not wait for it.
        final Thread thread = new Thread(() -> shutDown(target), "budgetmeter-kafka-abort");
        thread.setDaemon(true);
        thread.start();
    }
}
