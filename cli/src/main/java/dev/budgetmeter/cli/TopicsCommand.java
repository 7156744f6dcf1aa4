package dev.budgetmeter.cli;

import dev.budgetmeter.cli.topics.TopicPlan;
import dev.budgetmeter.cli.topics.TopicProvisioner;
import dev.budgetmeter.cli.topics.TopicReport;
import dev.budgetmeter.cli.topics.TopicSpec;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code budget-meter topics}: creates the pipeline's topics, idempotently, and reports the ones that differ. */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = {"Creates the pipeline's topics, idempotently.",
                "Creates the stream-events, commands, audit and dead-letter topics with their partitions, cleanup",
                "policies and retention (audit kept forever). Existing topics are checked and left as they are;",
                "a difference is reported as a warning."})
final class TopicsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ClusterOptions cluster;

    @Option(names = "--partitions", paramLabel = "N",
            description = "Partitions of every topic (default: each topic's own, 6 for keyed topics, 3 for dead letters).")
    private Integer partitions;

    @Option(names = "--replication-factor", paramLabel = "N", defaultValue = "" + TopicPlan.DEFAULT_REPLICATION_FACTOR,
            description = "Replicas per partition (default: ${DEFAULT-VALUE}; 1 on a single broker).")
    private short replicationFactor;

    @Option(names = "--min-insync-replicas", paramLabel = "N",
            description = "min.insync.replicas of every topic (default: the broker's).")
    private Integer minInsyncReplicas;

    @Option(names = "--tenant", paramLabel = "TENANT",
            description = {"Also create the input topic of this tenant, <prefix>stream-events.<tenant>, with the",
                    "settings and partition count of stream-events (repeatable; for metering.tenant.topics)."})
    private List<String> tenants = new ArrayList<>();

    @Option(names = "--timeout-seconds", paramLabel = "S", defaultValue = "60",
            description = "Bound on each call to the cluster (default: ${DEFAULT-VALUE}).")
    private int timeoutSeconds;

    @Override
    public Integer call() {
        final List<TopicSpec> plan = TopicPlan.of(cluster.topicPrefix(), optional(partitions), replicationFactor,
                optional(minInsyncReplicas), tenants);
        final List<TopicReport> reports = TopicProvisioner.ensureOn(cluster.clientProperties(), plan,
                Duration.ofSeconds(timeoutSeconds));
        final PrintWriter out = spec.commandLine().getOut();
        reports.forEach(report -> out.println(report.line()));
        out.flush();
        return 0;
    }

    private static OptionalInt optional(final Integer value) {
        return value == null ? OptionalInt.empty() : OptionalInt.of(value);
    }
}
