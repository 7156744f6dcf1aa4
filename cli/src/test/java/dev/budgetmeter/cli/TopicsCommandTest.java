package dev.budgetmeter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.budgetmeter.cli.topics.TopicPlan;
import dev.budgetmeter.cli.topics.TopicProvisioner;
import dev.budgetmeter.cli.topics.TopicReport;
import dev.budgetmeter.topics.Topics;
import dev.budgetmeter.cli.topics.TopicSpec;
import dev.budgetmeter.localstack.KafkaStack;
import dev.budgetmeter.localstack.junit.WithKafkaStack;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;

/** Topic creation on a real broker: idempotent, and a topic that differs is reported, never changed. */
@WithKafkaStack
class TopicsCommandTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final KafkaStack stack;

    TopicsCommandTest(final KafkaStack stack) {
        this.stack = stack;
    }

    @Test
    void creating_the_topics_twice_creates_each_once_with_its_settings_and_then_finds_them_as_planned() {
        final List<TopicSpec> plan = TopicPlan.of(uniquePrefix(), OptionalInt.empty(), (short) 1, OptionalInt.of(1));

        final List<TopicReport> first = TopicProvisioner.ensureOn(stack.bootstrapServers(), plan, TIMEOUT);
        final List<TopicReport> second = TopicProvisioner.ensureOn(stack.bootstrapServers(), plan, TIMEOUT);

        assertThat(first).extracting(TopicReport::outcome).containsOnly(TopicReport.Outcome.CREATED).hasSize(Topics.ALL.size());
        assertThat(second).extracting(TopicReport::outcome).containsOnly(TopicReport.Outcome.EXISTS).hasSize(Topics.ALL.size());
        final Map<String, TopicDescription> created = describe(plan);
        for (final TopicSpec spec : plan) {
            assertThat(created.get(spec.name()).partitions()).hasSize(spec.partitions());
        }
        assertThat(second.get(0).line()).startsWith("exists   " + plan.get(0).name());
    }

    @Test
    void an_existing_topic_with_other_partitions_is_reported_and_left_as_it_is() {
        final String prefix = uniquePrefix();
        TopicProvisioner.ensureOn(stack.bootstrapServers(),
                TopicPlan.of(prefix, OptionalInt.of(2), (short) 1, OptionalInt.empty()), TIMEOUT);
        final List<TopicSpec> plan = TopicPlan.of(prefix, OptionalInt.empty(), (short) 1, OptionalInt.of(1));

        final List<TopicReport> reports = TopicProvisioner.ensureOn(stack.bootstrapServers(), plan, TIMEOUT);

        assertThat(reports).extracting(TopicReport::outcome).containsOnly(TopicReport.Outcome.DIFFERS);
        assertThat(reports.get(0).line()).startsWith("WARNING  " + prefix + "stream-events")
                .endsWith("it has 2 partitions, the plan 6");
        assertThat(describe(plan).get(prefix + "stream-events").partitions()).hasSize(2);
    }

    @Test
    void the_topics_command_prints_what_it_created_and_fails_clearly_when_the_cluster_cannot_replicate() {
        final String prefix = uniquePrefix();

        final CliRun created = CliRun.of("topics",
                "--bootstrap-servers", stack.bootstrapServers(), "--topic-prefix", prefix,
                "--replication-factor", "1");
        final CliRun tooMany = CliRun.of("topics", "--bootstrap-servers",
                stack.bootstrapServers(), "--topic-prefix", uniquePrefix(), "--timeout-seconds", "3");

        assertThat(created.exitCode()).as(created.toString()).isZero();
        assertThat(created.out()).contains("created  " + prefix + "stream-events (6 partitions, replication 1",
                "created  " + prefix + "audit", "retention.ms=-1", "created  " + prefix + "dead-letters (3 partitions");
        assertThat(tooMany.exitCode()).as(tooMany.toString()).isEqualTo(1);
        assertThat(tooMany.err()).contains("topics failed",
                "the cluster has 1 broker(s), fewer than the replication factor 3");
    }

    private Map<String, TopicDescription> describe(final List<TopicSpec> plan) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            return admin.describeTopics(plan.stream().map(TopicSpec::name).toList()).allTopicNames().get();
        } catch (final Exception e) {
            throw new AssertionError("describing the topics failed", e);
        }
    }

    private static String uniquePrefix() {
        return "t" + UUID.randomUUID().toString().substring(0, 8) + ".";
    }
}
