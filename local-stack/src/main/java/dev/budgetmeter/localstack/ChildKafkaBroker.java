package dev.budgetmeter.localstack;

import dev.budgetmeter.localstack.KraftClusterNodeConfig.NodePorts;
import dev.budgetmeter.localstack.internal.ChildJvm;
import dev.budgetmeter.localstack.internal.Deadline;
import dev.budgetmeter.localstack.internal.Directories;
import dev.budgetmeter.localstack.internal.KraftStorage;
import dev.budgetmeter.localstack.internal.LogTail;
import dev.budgetmeter.localstack.internal.Loopback;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of a {@link LocalKafkaCluster}: a KRaft broker and controller in a child JVM of its own
 * ({@code kafka.Kafka server.properties} on this JVM's class path, launched by {@link ChildJvm}), so that it can be
 * killed with {@code kill -9} like a real broker.
 *
 * <p>Guarantees: listens on loopback only; {@link #start()} formats its log directory on the first start (with the
 * cluster's id and bootstrap records), launches the JVM and returns once the node answers on its own client listener
 * and sees itself registered in the cluster; a restart after {@link #stop()} or {@link #kill()} comes back on the same
 * ports with the same log directory. The child JVM dies with this one, even on {@code kill -9} of this JVM. Its output
 * goes to {@link #logFile()}, which failure messages quote.
 */
public final class ChildKafkaBroker implements StackComponent {

    /** The component name used in logs and failure messages. */
    public static final String COMPONENT = "Kafka broker";

    private static final Logger LOG = LoggerFactory.getLogger(ChildKafkaBroker.class);
    private static final String MAIN_CLASS = "kafka.Kafka";
    private static final String LOG_CONFIG = "child-broker-log4j2.properties";
    // Serial GC and a bounded heap keep three brokers beside the tests on a 2-core machine.
    private static final List<String> JVM_OPTIONS = List.of("-Xmx384m", "-XX:+UseSerialGC", "-Djava.awt.headless=true");
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(300);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final int LOG_LINES_IN_ERRORS = 30;

    private final int nodeId;
    private final NodePorts ports;
    private final Path workDir;
    private final Path logDir;
    private final Path configFile;
    private final Path logFile;
    private final Properties config;
    private final Formatting formatting;
    private final Map<String, Object> adminProperties;
    private final Duration startTimeout;
    private Process process;

    /**
     * @param formatting      the cluster id and format arguments shared by every node
     * @param adminProperties the security settings of a client with full rights (empty without security)
     */
    ChildKafkaBroker(final int nodeId, final NodePorts ports, final Path workDir, final Properties config,
            final Formatting formatting, final Map<String, Object> adminProperties, final Duration startTimeout) {
        this.nodeId = nodeId;
        this.ports = ports;
        this.workDir = workDir;
        this.logDir = Path.of(config.getProperty("log.dirs"));
        this.configFile = workDir.resolve("server.properties");
        this.logFile = workDir.resolve("broker.log");
        this.config = config;
        this.formatting = formatting;
        this.adminProperties = Map.copyOf(adminProperties);
        this.startTimeout = startTimeout;
    }

    /**
     * The cluster id and the further {@code kafka-storage format} arguments (such as {@code --add-scram}) every node
     * of one cluster is formatted with.
     */
    record Formatting(String clusterId, List<String> arguments) {

        Formatting {
            arguments = List.copyOf(arguments);
        }

        @Override
        public String toString() {
            return "Formatting[" + clusterId + ", " + arguments.size() + " arguments hidden]";
        }
    }

    /** The node id, also its broker id. */
    public int nodeId() {
        return nodeId;
    }

    /** This node's client listener, {@code 127.0.0.1:PORT}; the same across restarts. */
    public String bootstrapServers() {
        return Loopback.address(ports.client());
    }

    /** This node's SASL_SSL listener on a secured cluster; empty otherwise. */
    public String tlsBootstrapServers() {
        return ports.tls() == 0 ? "" : Loopback.address(ports.tls());
    }

    /** The node's output: standard output and error of every start, appended. */
    public Path logFile() {
        return logFile;
    }

    /** The KRaft log directory (topics, offsets, cluster metadata); the same across restarts. */
    public Path logDir() {
        return logDir;
    }

    /** The process id of the node's JVM while it runs. */
    public synchronized OptionalLong pid() {
        return process == null || !process.isAlive() ? OptionalLong.empty() : OptionalLong.of(process.pid());
    }

    /**
     * Launches the node (formatting its log directory first on the first start) and waits until it answers and is
     * registered. On a cluster's first start its nodes must start together: each waits for a quorum of controllers.
     *
     * @throws PortInUseException      if one of its ports is taken
     * @throws ComponentStartException if it does not answer within the start timeout, or exits early
     */
    @Override
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        process = null; // a node that died on its own is simply started afresh
        final Deadline deadline = Deadline.in(startTimeout);
        LoopbackPorts.requireFree(ports.client(), COMPONENT + " " + nodeId);
        LoopbackPorts.requireFree(ports.controller(), COMPONENT + " " + nodeId + " controller");
        if (ports.tls() != 0) {
            LoopbackPorts.requireFree(ports.tls(), COMPONENT + " " + nodeId + " TLS listener");
        }
        formatOnFirstStart();
        markStartInLog();
        final Process launched = ChildJvm.launchMain(jvmOptions(), MAIN_CLASS, List.of(configFile.toString()),
                workDir, logFile);
        try {
            awaitRegistered(launched, deadline);
        } catch (final RuntimeException e) {
            destroy(launched, Duration.ZERO);
            throw e;
        }
        process = launched;
        LOG.info("{} {} up at {} in {} (pid {}, log {})", COMPONENT, nodeId, bootstrapServers(),
                Deadline.seconds(deadline.elapsed()), launched.pid(), logFile);
    }

    /**
     * A clean stop: SIGTERM, so the node shuts down in a controlled way (its partitions' leadership moves first), and
     * SIGKILL after 30 s if it has not exited by then. Waits until the process is gone.
     */
    @Override
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        destroy(process, STOP_GRACE);
        process = null;
    }

    /** {@code kill -9}: SIGKILL, no controlled shutdown, no flush. Waits until the process is gone. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        destroy(process, Duration.ZERO);
        process = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    @Override
    public String toString() {
        return COMPONENT + " " + nodeId + " at " + bootstrapServers() + " (log " + logFile + ")";
    }

    private void formatOnFirstStart() {
        if (KraftStorage.isFormatted(logDir)) {
            return;
        }
        try {
            Directories.create(logDir);
            KraftStorage.format(config, configFile, formatting.clusterId(), formatting.arguments());
        } catch (final RuntimeException e) {
            throw notReady("could not format its log dir " + logDir, e);
        }
    }

    private List<String> jvmOptions() {
        final Path logConfig = workDir.resolve(LOG_CONFIG);
        if (!Files.exists(logConfig)) {
            try (InputStream in = ChildKafkaBroker.class.getResourceAsStream(LOG_CONFIG)) {
                Files.copy(in, logConfig, StandardCopyOption.REPLACE_EXISTING);
            } catch (final IOException | NullPointerException e) {
                throw new IllegalStateException("cannot write the brokers' logging configuration " + logConfig, e);
            }
        }
        final List<String> options = new ArrayList<>(JVM_OPTIONS);
        options.add("-Dlog4j2.configurationFile=" + logConfig);
        return options;
    }

    private void markStartInLog() {
        try {
            Files.writeString(logFile, "=== budget-meter: starting " + COMPONENT + " " + nodeId + " ==="
                    + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write " + logFile, e);
        }
    }

    /** Polls the node's own listener until the cluster it sees holds this node (registered and unfenced). */
    private void awaitRegistered(final Process launched, final Deadline deadline) {
        final Map<String, Object> properties = new HashMap<>(adminProperties);
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        properties.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        try (Admin admin = Admin.create(properties)) {
            while (!registered(admin)) {
                if (!launched.isAlive()) {
                    throw notReady("its JVM exited with code " + launched.exitValue() + " before answering", null);
                }
                if (deadline.hasExpired()) {
                    throw notReady("did not answer and register within " + Deadline.seconds(deadline.budget()), null);
                }
                deadline.pause(PROBE_INTERVAL);
            }
        }
    }

    private boolean registered(final Admin admin) {
        try {
            return admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).stream().mapToInt(Node::id)
                    .anyMatch(id -> id == nodeId);
        } catch (final ExecutionException | TimeoutException e) {
            return false;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + this, e);
        }
    }

    private ComponentStartException notReady(final String what, final Throwable cause) {
        return new ComponentStartException(COMPONENT + " " + nodeId, what + " at " + bootstrapServers()
                + " (controller " + Loopback.address(ports.controller()) + ", log " + logFile + ", last lines:"
                + System.lineSeparator() + LogTail.of(logFile, LOG_LINES_IN_ERRORS) + ")", cause);
    }

    private static void destroy(final Process target, final Duration grace) {
        // Signals go through the process handle: Process.destroy() would also close the child's standard input, the
        // watchdog's lifeline, and the watchdog would halt the broker at once instead of letting it shut down.
        try {
            if (grace.isZero()) {
                target.toHandle().destroyForcibly();
            } else {
                target.toHandle().destroy();
                if (target.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
                target.toHandle().destroyForcibly();
            }
            target.waitFor();
        } catch (final InterruptedException e) {
            target.toHandle().destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            try {
                target.getOutputStream().close();
            } catch (final IOException ignored) {
                // The pipe only signals life to the child's watchdog; the child is gone.
            }
        }
    }
}
