package dev.budgetmeter.cli;

import dev.budgetmeter.cli.run.RunSettings;
import dev.budgetmeter.cli.run.StopSignals;
import dev.budgetmeter.cli.topics.TopicPlan;
import dev.budgetmeter.cli.topics.TopicProvisioner;
import dev.budgetmeter.cli.topics.TopicReport;
import dev.budgetmeter.topics.Topics;
import dev.budgetmeter.topology.MeteringConfig;
import dev.budgetmeter.topology.app.MeteringApp;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code budget-meter stack}: the local stack (a real KRaft broker in this JVM, Apicurio Registry in a child JVM) as a
 * service for other processes, for example the Node package's tests or a developer's own service under test; with
 * {@code --brokers N} or {@code --secure} a real cluster instead, each broker a child JVM ({@link LocalKafkaCluster}),
 * replicated as the compose file (factor 3, {@code min.insync.replicas} 2 from three brokers) and, secured, with
 * SASL/SCRAM, a SASL_SSL listener and ACLs: the administrator's client settings are then in a file the output names.
 *
 * <p>Guarantees: standard output carries only {@code KEY=VALUE} lines, then one {@code READY} line once everything
 * asked for answers (the broker, the registry, the topics with a leader for every partition, the topology processing);
 * logs go to standard error. The names are the ones the other commands and the producer libraries read from the
 * environment, so the lines can be sourced. The stack runs until standard input reaches its end (so a parent that dies
 * takes it along) or SIGTERM / SIGINT, then stops the topology and the stack and exits 0; it exits 1 when the topology
 * stops on its own. Nothing outlives it: the registry child dies with this JVM even on {@code kill -9}.
 */
@Command(name = "stack", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs a local Kafka broker and schema registry for other processes, until stdin closes or "
                + "SIGTERM.",
                "Starts a single-node KRaft broker and Apicurio Registry (Confluent API, compatibility BACKWARD) on",
                "free loopback ports, optionally creates the topics of --topic-prefix and runs the metering topology",
                "on them, then prints the addresses on stdout, one KEY=VALUE per line, and a last line READY:",
                "",
                "  KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:40123",
                "  SCHEMA_REGISTRY_URL=http://127.0.0.1:40124/apis/ccompat/v7",
                "  BUDGET_METER_METERING_TOPIC_PREFIX=budget.   (with --create-topics or --with-topology)",
                "  BUDGET_METER_APPLICATION_ID=budget-meter-stack   (with --with-topology)",
                "  KAFKA_TLS_BOOTSTRAP_SERVERS=127.0.0.1:40125   (with --secure)",
                "  BUDGET_METER_COMMAND_CONFIG=/tmp/.../admin.properties   (with --secure: SASL settings of the",
                "      administrator, a super user; admin-tls.properties beside it for the TLS listeners)",
                "  READY",
                "",
                "Logs go to stderr. It stops, and exits 0, when its standard input reaches its end or on SIGTERM;",
                "from a shell's background give --ignore-stdin and stop it with kill. The lines can be sourced, so",
                "that `budget-meter audit verify` and the producer libraries' examples find the stack:",
                "",
                "  budget-meter stack --with-topology --ignore-stdin > stack.env &   # wait for READY, then",
                "  set -a; . <(grep = stack.env); set +a",
                ""})
final class StackCommand implements Callable<Integer> {

    /** The last line printed once everything asked for is up. */
    static final String READY = "READY";
    static final String TOPIC_PREFIX_KEY = ClusterOptions.TOPIC_PREFIX_ENV;
    static final String APPLICATION_ID_KEY = RunSettings.envNameOf(MeteringConfig.APPLICATION_ID_CONFIG);

    private static final Duration TOPICS_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration TOPOLOGY_READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration TOPOLOGY_CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration LIVENESS_CHECK = Duration.ofSeconds(1);
    /** Set by the stack itself; a --set of one of them would point the topology elsewhere. */
    private static final Set<String> STACK_OWNED = Set.of(MeteringConfig.BOOTSTRAP_SERVERS_CONFIG,
            MeteringConfig.SCHEMA_REGISTRY_URL_CONFIG, MeteringConfig.TOPIC_PREFIX_CONFIG,
            MeteringConfig.APPLICATION_ID_CONFIG, StreamsConfig.STATE_DIR_CONFIG);

    @Spec
    private CommandSpec spec;

    @Option(names = "--brokers", paramLabel = "N", defaultValue = "1",
            description = {"Brokers (default: ${DEFAULT-VALUE}, in this JVM). More: a cluster of child JVMs, each",
                    "broker and controller, replication factor min(3, N), min.insync.replicas min(2, N)."})
    private int brokers;

    @Option(names = "--secure",
            description = {"SASL/SCRAM-SHA-512 on every listener, a SASL_SSL listener beside it (certificate made",
                    "for the run), ACLs with no access without one; prints the administrator's config file."})
    private boolean secure;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX", defaultValue = Topics.DEFAULT_PREFIX,
            description = "Prefix of the topics to create and meter (default: ${DEFAULT-VALUE}).")
    private String topicPrefix;

    @Option(names = "--create-topics",
            description = "Create the four topics of --topic-prefix, each partition with a leader before READY.")
    private boolean createTopics;

    @Option(names = "--partitions", paramLabel = "N",
            description = "Partitions of every topic created (default: each topic's own).")
    private Integer partitions;

    @Option(names = "--with-topology",
            description = "Also run the metering topology on the topics of --topic-prefix (creates them).")
    private boolean withTopology;

    @Option(names = "--application-id", paramLabel = "ID", defaultValue = "budget-meter-stack",
            description = "Kafka Streams application id of the topology (default: ${DEFAULT-VALUE}).")
    private String applicationId;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = {"A topology setting, metering.* or Kafka Streams (repeatable), e.g.",
                    "--set metering.idle.timeout.ms=2000. Needs --with-topology."})
    private Map<String, String> overrides = new HashMap<>();

    @Option(names = "--ignore-stdin",
            description = "Run until SIGTERM only; standard input is not watched (for a shell's background).")
    private boolean ignoreStdin;

    /** Watched for its end unless --ignore-stdin; the process's standard input unless a test says otherwise. */
    InputStream stdin = System.in;

    private final CountDownLatch stopRequested = new CountDownLatch(1);

    @Override
    public Integer call() throws InterruptedException {
        checkOptions();
        final PrintWriter out = spec.commandLine().getOut();
        try (StopSignals signals = StopSignals.install(stopRequested::countDown)) {
            watchInput();
            try (LocalDeployment stack = LocalDeployment.start(brokers, secure)) {
                stack.addresses().forEach((key, value) -> out.println(key + "=" + value));
                if (createTopics || withTopology) {
                    createTopics(stack);
                    out.println(TOPIC_PREFIX_KEY + "=" + topicPrefix);
                }
                return withTopology ? runTopology(stack, out) : readyUntilStop(out, null);
            }
        }
    }

    /** Runs the topology until a stop; its state lives in the stack's work directory, which the stack removes. */
    private int runTopology(final LocalDeployment stack, final PrintWriter out) throws InterruptedException {
        final MeteringApp app = MeteringApp.create(topologyConfig(stack,
                stack.workDirectory().resolve("topology-state")));
        try {
            app.start();
            if (!awaitReadyOrStop(app)) {
                return 0;
            }
            out.println(APPLICATION_ID_KEY + "=" + applicationId);
            return readyUntilStop(out, app);
        } finally {
            app.close(TOPOLOGY_CLOSE_TIMEOUT);
        }
    }

    private void checkOptions() {
        if (!overrides.isEmpty() && !withTopology) {
            throw new ParameterException(spec.commandLine(), "--set configures the topology: give --with-topology");
        }
        if (partitions != null && !(createTopics || withTopology)) {
            throw new ParameterException(spec.commandLine(), "--partitions needs --create-topics or --with-topology");
        }
        if (brokers < 1 || brokers > 9) {
            throw new ParameterException(spec.commandLine(), "--brokers must be 1-9, was " + brokers);
        }
        if (partitions != null && partitions < 1) {
            throw new ParameterException(spec.commandLine(), "--partitions must be at least 1, was " + partitions);
        }
        overrides.keySet().stream().filter(STACK_OWNED::contains).findFirst().ifPresent(key -> {
            throw new ParameterException(spec.commandLine(), "--set " + key + " is the stack's own setting (use "
                    + "--topic-prefix or --application-id where there is a flag)");
        });
    }

    private void createTopics(final LocalDeployment stack) {
        final List<TopicReport> reports = TopicProvisioner.ensureOn(stack.stack().clientProperties(),
                TopicPlan.of(topicPrefix, partitions == null ? OptionalInt.empty() : OptionalInt.of(partitions),
                        stack.replicationFactor(), OptionalInt.empty()), TOPICS_TIMEOUT);
        // The broker is new: every topic is created, and the report is for the log only.
        reports.forEach(report -> spec.commandLine().getErr().println(report.line()));
    }

    /**
     * The topology's settings the way {@code run} resolves them, but from flags only: the environment of a developer
     * who sourced another stack's lines must not point this one elsewhere. Internal topics are replicated as the
     * stack's topics are; on a secured cluster the topology connects as the administrator (a development stack:
     * in production it runs as its own principal, see budget-meter acls).
     */
    private MeteringConfig topologyConfig(final LocalDeployment stack, final Path stateDir) {
        final Map<String, String> flags = new HashMap<>();
        flags.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, String.valueOf(stack.replicationFactor()));
        flags.putAll(overrides);
        stack.stack().clientProperties().forEach((key, value) -> flags.put(key, String.valueOf(value)));
        flags.put(MeteringConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.stack().schemaRegistryUrl());
        flags.put(MeteringConfig.TOPIC_PREFIX_CONFIG, topicPrefix);
        flags.put(MeteringConfig.APPLICATION_ID_CONFIG, applicationId);
        flags.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        try {
            return RunSettings.resolve(Map.of(), Map.of(), flags).config();
        } catch (final RuntimeException invalid) {
            throw new ParameterException(spec.commandLine(), "invalid --set: " + invalid.getMessage(), invalid);
        }
    }

    /**
     * Prints READY and waits for a stop request; with a topology, also checks it is alive.
     *
     * @return 0 after a stop request, 1 when the topology stopped on its own
     */
    private int readyUntilStop(final PrintWriter out, final MeteringApp app) throws InterruptedException {
        out.println(READY);
        out.flush();
        while (!stopRequested.await(LIVENESS_CHECK.toMillis(), TimeUnit.MILLISECONDS)) {
            if (app != null && !app.isAlive()) {
                spec.commandLine().getErr().println("the metering topology stopped on its own (state " + app.state()
                        + "); stopping the stack");
                return 1;
            }
        }
        return 0;
    }

    /** True once the topology processes every task it was assigned; false when a stop was asked for first. */
    private boolean awaitReadyOrStop(final MeteringApp app) throws InterruptedException {
        final long deadline = System.nanoTime() + TOPOLOGY_READY_TIMEOUT.toNanos();
        while (!app.isReady()) {
            if (!app.isAlive() || System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the metering topology did not become ready within "
                        + TOPOLOGY_READY_TIMEOUT.toSeconds() + " s (state " + app.state() + ")");
            }
            if (stopRequested.await(100, TimeUnit.MILLISECONDS)) {
                return false;
            }
        }
        return true;
    }

    /** Unless --ignore-stdin: the end of standard input (a parent that exits or closes the pipe) is a stop. */
    private void watchInput() {
        if (ignoreStdin) {
            return;
        }
        final Thread watcher = new Thread(() -> {
            final byte[] discarded = new byte[512];
            try {
                while (stdin.read(discarded) >= 0) {
                    // Whatever the parent writes means nothing; only the end does.
                }
            } catch (final IOException broken) {
                // A broken input is an end as well.
            }
            stopRequested.countDown();
        }, "budget-meter-stack-stdin");
        watcher.setDaemon(true);
        watcher.start();
    }
}
