package dev.budgetmeter.localstack;

import dev.budgetmeter.localstack.internal.ApicurioDistribution;
import dev.budgetmeter.localstack.internal.Deadline;
import dev.budgetmeter.localstack.internal.Directories;
import dev.budgetmeter.localstack.internal.Parallel;
import dev.budgetmeter.localstack.internal.Parallel.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real Kafka stack without Docker: a single-node KRaft broker in this JVM ({@link EmbeddedKafkaBroker}) and
 * Apicurio Registry in a child JVM ({@link ApicurioRegistry}) serving the Confluent API with global compatibility
 * BACKWARD. For tests and as the demo's embedded default.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>{@link #start} returns only once both parts answer their clients; they start concurrently. If either fails,
 *       both are stopped and the failure names the part, its address and its log; the temp directory is then kept
 *       so that log can be read.</li>
 *   <li>Everything listens on {@code 127.0.0.1}, on free ports picked at start unless {@link LocalStackOptions} fixes
 *       them; a taken fixed port fails with a {@link PortInUseException} before anything is launched.</li>
 *   <li>All files live in one temp directory ({@link #workDirectory()}), removed by {@link #close()} or, if the JVM
 *       exits without closing, by a shutdown hook. Nothing outlives the JVM: the broker is in-process and the
 *       registry JVM dies with this one even on {@code kill -9} (only the temp directory stays behind then).</li>
 *   <li>{@link #broker()} and {@link #registry()} can be stopped and started again; each comes back on the same
 *       address. The broker keeps its data; the registry, in memory, loses its schemas.</li>
 * </ul>
 */
public final class LocalKafkaStack implements KafkaStack {

    private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaStack.class);
    private static final String TEMP_DIR_PREFIX = "budget-meter-stack-";

    private final Path workDirectory;
    private final EmbeddedKafkaBroker broker;
    private final ApicurioRegistry registry;
    private final Duration startupTime;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread closeAtJvmExit = new Thread(this::shutDownOnce, "budgetmeter-stack-exit");

    private LocalKafkaStack(final Path workDirectory, final EmbeddedKafkaBroker broker,
            final ApicurioRegistry registry, final Duration startupTime) {
        this.workDirectory = workDirectory;
        this.broker = broker;
        this.registry = registry;
        this.startupTime = startupTime;
    }

    /** Starts a stack with {@link LocalStackOptions#defaults()}. */
    public static LocalKafkaStack start() {
        return start(LocalStackOptions.defaults());
    }

    /** Starts a stack as {@code options} say; see the class comment for the guarantees. */
    public static LocalKafkaStack start(final LocalStackOptions options) {
        final long startNanos = System.nanoTime();
        final Ports ports = Ports.reserve(options);
        final ApicurioDistribution distribution = ApicurioDistribution.fromSystem();
        final Path workDirectory = Directories.createTemp(TEMP_DIR_PREFIX);
        final EmbeddedKafkaBroker broker =
                new EmbeddedKafkaBroker(workDirectory.resolve("kafka"), ports.broker(), ports.controller(), options);
        final ApicurioRegistry registry = new ApicurioRegistry(distribution::home, workDirectory.resolve("registry"),
                ports.registry(), options.registryStartTimeout());
        try {
            Parallel.runAll(List.of(new Task("kafka-start", broker::start), new Task("registry-start", registry::start)));
        } catch (final RuntimeException e) {
            try {
                stopAll(broker, registry);
            } catch (final RuntimeException cleanupFailure) {
                e.addSuppressed(cleanupFailure);
            }
            // The work directory stays: it holds the registry log that the failure message names.
            LOG.warn("Local Kafka stack failed to start; kept {} for its logs", workDirectory);
            throw e;
        }
        final LocalKafkaStack stack =
                new LocalKafkaStack(workDirectory, broker, registry, Duration.ofNanos(System.nanoTime() - startNanos));
        Runtime.getRuntime().addShutdownHook(stack.closeAtJvmExit);
        LOG.info("Local Kafka stack up in {}: {}", Deadline.seconds(stack.startupTime), stack.description());
        return stack;
    }

    @Override
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    @Override
    public String schemaRegistryUrl() {
        return registry.url();
    }

    @Override
    public String description() {
        return "local stack (" + broker + ", " + registry + ", work dir " + workDirectory + ")";
    }

    /** The in-process broker, for tests that stop and restart it (same port, same data). */
    public EmbeddedKafkaBroker broker() {
        return broker;
    }

    /** The registry child JVM, for tests that stop and restart it (same port, schemas lost). */
    public ApicurioRegistry registry() {
        return registry;
    }

    /** How long {@link #start} took until both parts answered. */
    public Duration startupTime() {
        return startupTime;
    }

    /** The temp directory holding the broker's data and the registry's log; removed by {@link #close()}. */
    public Path workDirectory() {
        return workDirectory;
    }

    /** Stops the registry and the broker and removes the temp directory. Calling it again does nothing. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(closeAtJvmExit);
        } catch (final IllegalStateException alreadyExiting) {
            // The JVM is exiting and the hook is running or about to: shutDownOnce() makes that harmless.
        }
        shutDownOnce();
    }

    private void shutDownOnce() {
        if (closed.compareAndSet(false, true)) {
            stopAndRemove(broker, registry, workDirectory);
        }
    }

    private static void stopAndRemove(final EmbeddedKafkaBroker broker, final ApicurioRegistry registry,
            final Path workDirectory) {
        try {
            stopAll(broker, registry);
        } finally {
            Directories.deleteRecursively(workDirectory);
        }
    }

    private static void stopAll(final EmbeddedKafkaBroker broker, final ApicurioRegistry registry) {
        Parallel.runAll(List.of(new Task("kafka-stop", broker::stop), new Task("registry-stop", registry::stop)));
    }

    /** The three ports of a stack: fixed ones checked, free ones picked, all distinct. */
    private record Ports(int broker, int controller, int registry) {

        static Ports reserve(final LocalStackOptions options) {
            try (LoopbackPorts ports = new LoopbackPorts()) {
                return new Ports(
                        ports.reserve(options.brokerPort(), EmbeddedKafkaBroker.COMPONENT),
                        ports.reserve(options.controllerPort(), EmbeddedKafkaBroker.CONTROLLER_COMPONENT),
                        ports.reserve(options.registryPort(), ApicurioRegistry.COMPONENT));
            }
        }
    }
}
