package dev.budgetmeter.cli;

import dev.budgetmeter.cli.demo.FleetRun;
import dev.budgetmeter.cli.demo.ProgressDisplay;
import dev.budgetmeter.cli.demo.SummaryTable;
import dev.budgetmeter.cli.fleet.FleetSettings;
import dev.budgetmeter.cli.topics.TopicPlan;
import dev.budgetmeter.cli.topics.TopicProvisioner;
import dev.budgetmeter.cli.topics.TopicReport;
import dev.budgetmeter.localstack.ExternalKafkaStack;
import dev.budgetmeter.localstack.KafkaStack;
import dev.budgetmeter.localstack.LocalClusterOptions;
import dev.budgetmeter.localstack.LocalKafkaStack;
import dev.budgetmeter.producer.DecisionMode;
import dev.budgetmeter.topics.TopicRegistry;
import dev.budgetmeter.topology.MeteringConfig;
import dev.budgetmeter.topology.lifecycle.Authority;
import dev.budgetmeter.topology.app.MeteringApp;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code budget-meter demo}: the whole pipeline on this machine. Starts the local stack (a real KRaft broker in this
 * JVM and a real schema registry in a child JVM) unless a cluster is given, creates the topics, runs the topology
 * and a fleet of simulated LLM workers, shows live progress, prints the summary and exits 0 only if the oracle
 * finds every reservation settled exactly once and charged what its worker priced.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the whole pipeline on this machine, with live progress and a checked summary.",
                "Starts a local Kafka broker and schema registry, creates the topics, runs the metering topology",
                "and a fleet of simulated LLM workers, then checks that every reservation was settled exactly",
                "once. With --brokers 3 the local stack is a cluster of three brokers; with --bootstrap-servers and",
                "--schema-registry-url it uses that cluster instead."})
final class DemoCommand implements Callable<Integer> {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    @Spec
    private CommandSpec spec;

    @Mixin
    private FleetOptions fleet;

    @Mixin
    private ClusterOptions cluster;

    @Option(names = "--partitions", paramLabel = "N",
            description = "Partitions of every topic (default: each topic's own).")
    private Integer partitions;

    @Option(names = "--brokers", paramLabel = "N", defaultValue = "1",
            description = {"Brokers of the local stack (default: ${DEFAULT-VALUE}, in this JVM). More: a cluster of",
                    "child JVMs, each broker and controller, as the compose file replicates (3 brokers: factor 3,",
                    "min.insync.replicas 2)."})
    private int brokers;

    @Option(names = "--replication-factor", paramLabel = "N",
            description = "Replicas per partition, for topics and internal topics (default: min(3, --brokers); 1 on"
                    + " a cluster given by flags).")
    private Short replicationFactor;

    @Option(names = "--authority", paramLabel = "LEDGER|EXTERNAL", defaultValue = "LEDGER",
            description = {"Who decides reservations (default: ${DEFAULT-VALUE}): the budget ledger inside the",
                    "topology, with budgets the demo sets (one tenant runs out mid-run), or an outside authority",
                    "(every reservation counts as allowed)."})
    private Authority authority;

    @Option(names = "--idle-timeout-ms", paramLabel = "MS", defaultValue = "3000",
            description = "metering.idle.timeout.ms: silence after which a stream counts as abandoned "
                    + "(default: ${DEFAULT-VALUE}).")
    private long idleTimeoutMs;

    @Override
    public Integer call() throws InterruptedException {
        if (brokers < 1 || brokers > 9) {
            throw new ParameterException(spec.commandLine(), "--brokers must be 1-9, was " + brokers);
        }
        final FleetSettings settings = fleet.settings();
        final PrintWriter out = spec.commandLine().getOut();
        out.println("Budget Meter demo: " + String.format(Locale.ROOT, "%,d", settings.streams()) + " streams, "
                + settings.concurrency() + " at a time, seed " + settings.seed());
        out.flush();
        final FleetRun.Outcome outcome;
        final ProgressDisplay progress = ProgressDisplay.forConsole(out);
        try (progress; KafkaStack stack = stack(progress)) {
            final TopicRegistry topics = TopicRegistry.create(cluster.topicPrefix(),
                    Map.of(MeteringConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.schemaRegistryUrl()));
            progress.phase("creating topics");
            final List<TopicReport> reports = TopicProvisioner.ensureOn(stack.bootstrapServers(),
                    TopicPlan.of(topics.prefix(), partitions == null ? OptionalInt.empty() : OptionalInt.of(partitions),
                            replicas(), OptionalInt.empty()), Duration.ofSeconds(60));
            reports.stream().filter(report -> report.outcome() == TopicReport.Outcome.DIFFERS)
                    .forEach(report -> out.println(report.line()));
            outcome = runWithTopology(stack, topics, settings, progress);
            progress.phase("stopping");
        }
        SummaryTable.lines(String.format(Locale.ROOT, "Summary (seed %d, whole run %.1f s)", settings.seed(),
                progress.elapsedSeconds()), outcome).forEach(out::println);
        out.flush();
        return outcome.verdict().passed() ? 0 : 1;
    }

    private FleetRun.Outcome runWithTopology(final KafkaStack stack, final TopicRegistry topics,
                                             final FleetSettings settings, final ProgressDisplay progress)
            throws InterruptedException {
        final Path stateDir = temporaryDirectory();
        final MeteringApp app = MeteringApp.create(new MeteringConfig(topologySettings(stack, topics, stateDir)));
        try {
            progress.phase("starting the metering topology");
            app.start();
            awaitReady(app);
            final boolean ledger = authority == Authority.LEDGER;
            return FleetRun.execute(new FleetRun.Target(stack.bootstrapServers(), stack.schemaRegistryUrl(), topics,
                            ledger ? DecisionMode.WAIT : DecisionMode.EXTERNAL, ledger),
                    settings, fleet.settleTimeout(), progress, System::nanoTime);
        } finally {
            progress.phase("stopping the metering topology");
            app.close(Duration.ofSeconds(30));
            deleteRecursively(stateDir);
        }
    }

    private Map<String, Object> topologySettings(final KafkaStack stack, final TopicRegistry topics,
                                                 final Path stateDir) {
        final Map<String, Object> settings = new HashMap<>();
        settings.put(MeteringConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        settings.put(MeteringConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.schemaRegistryUrl());
        settings.put(MeteringConfig.APPLICATION_ID_CONFIG, MeteringConfig.APPLICATION_ID_DEFAULT + "-demo-"
                + topics.prefix().replaceAll("[^a-zA-Z0-9]+$", "").replaceAll("[^a-zA-Z0-9._-]", "-"));
        settings.put(MeteringConfig.TOPIC_PREFIX_CONFIG, topics.prefix());
        settings.put(MeteringConfig.IDLE_TIMEOUT_MS_CONFIG, idleTimeoutMs);
        settings.put(MeteringConfig.AUTHORITY_CONFIG, authority.name());
        settings.put(MeteringConfig.PUNCTUATION_INTERVAL_MS_CONFIG, 500L);
        settings.put(MeteringConfig.NUM_STANDBY_REPLICAS_CONFIG, 0);
        settings.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replicas());
        settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return settings;
    }

    private KafkaStack stack(final ProgressDisplay progress) {
        if (cluster.clusterGiven()) {
            final ExternalKafkaStack external = new ExternalKafkaStack(cluster.bootstrapServers(),
                    cluster.schemaRegistryUrl());
            spec.commandLine().getOut().println("Using the cluster given by flags or environment: "
                    + external.description());
            return external;
        }
        progress.phase(brokers == 1 ? "starting the local Kafka stack (broker in this JVM, schema registry in a"
                + " child JVM)" : "starting a local Kafka cluster (" + brokers + " brokers and a schema registry, each"
                + " a child JVM)");
        return LocalDeployment.start(brokers, false).stack();
    }

    /** The replicas of every topic: as given, else as many as the local brokers allow up to 3, else 1. */
    private short replicas() {
        if (replicationFactor != null) {
            return replicationFactor;
        }
        return cluster.clusterGiven() ? 1 : (short) LocalClusterOptions.defaults().withBrokers(brokers)
                .replicationFactor();
    }

    /** Waits for the application's readiness (every assigned task restored and processing); a stopped one ends it. */
    private static void awaitReady(final MeteringApp app) throws InterruptedException {
        if (!app.awaitReady(READY_TIMEOUT)) {
            throw new IllegalStateException("the metering topology did not become ready (state " + app.state()
                    + ")");
        }
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("budget-meter-demo-state-");
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(final Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (final IOException e) {
            // A temp directory left behind is harmless; the OS cleans /tmp.
        }
    }
}
