package dev.budgetmeter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.budgetmeter.cli.audit.LedgerReader;
import dev.budgetmeter.localstack.KafkaStack;
import dev.budgetmeter.localstack.junit.WithKafkaStack;
import dev.budgetmeter.topics.TopicRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The demo end to end in this JVM, on the shared real stack (the demo's own local stack start is the same code path
 * with a {@code LocalKafkaStack}), with the budget ledger deciding, then the audit tool over what it left: every
 * reservation settled exactly once, every budget's totals right, and nothing of the demo keeps running afterwards.
 */
@WithKafkaStack
class DemoCommandTest {

    private final KafkaStack stack;

    DemoCommandTest(final KafkaStack stack) {
        this.stack = stack;
    }

    @Test
    void a_short_demo_passes_its_oracle_and_the_audit_tool_replays_what_it_wrote() {
        final String prefix = "demo" + UUID.randomUUID().toString().substring(0, 8) + ".";

        final CliRun demo = CliRun.of("demo", "--bootstrap-servers", stack.bootstrapServers(),
                "--schema-registry-url", stack.schemaRegistryUrl(), "--topic-prefix", prefix,
                "--streams", "100", "--concurrency", "16", "--partitions", "2", "--seed", "11");

        assertThat(demo.exitCode()).as(demo.toString()).isZero();
        assertThat(demo.out()).contains("streaming: streams", "Summary (seed 11",
                "oracle: 100 reservations, 100 settled, 0 open: PASSED");
        assertThat(demo.out()).containsPattern("\ncommits +[1-9][0-9]*\n")
                .containsPattern("\n  COMPLETED +[1-9][0-9]*\n")
                .containsPattern("\n  long enough to need extends +1\n")
                .containsPattern("end event sent -> commit visible, p99 +[0-9,]+ ms");
        // The budget ledger decides by default: one tenant's budget runs out, another's caps the tokens.
        assertThat(demo.out()).containsPattern("\n  refused BUDGET_EXCEEDED +[1-9][0-9]*\n")
                .containsPattern("\n  ALLOW_WITH_CAPS +[1-9][0-9]*\n")
                .contains("budgets after the run", "  tenant:initech ", "  tenant:globex/workspace:demo ");
        await().atMost(Duration.ofSeconds(10)).until(DemoCommandTest::noDemoThreadLeft);

        final String[] cluster = {"--bootstrap-servers", stack.bootstrapServers(),
                "--schema-registry-url", stack.schemaRegistryUrl(), "--topic-prefix", prefix};
        final CliRun verify = CliRun.of(concat(new String[] {"audit", "verify", "--require-settled"}, cluster));
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        assertThat(verify.out()).contains("oracle: 100 reservations, 100 settled, 0 open: PASSED");

        final String reservation = anyReservation(prefix);
        final CliRun history = CliRun.of(concat(new String[] {"audit", "history", reservation}, cluster));
        assertThat(history.exitCode()).as(history.toString()).isZero();
        assertThat(history.out()).contains("reservation " + reservation + ": ", "RESERVED", "commands (")
                .containsPattern("(COMMITTED|RELEASED) +ACTIVE +-> (COMMITTED|RELEASED)");

        final CliRun unknown = CliRun.of(concat(new String[] {"audit", "history", "no-such-reservation"}, cluster));
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.out()).contains("no audit record");
    }

    @Test
    void a_demo_on_a_local_cluster_of_three_brokers_passes_its_oracle() {
        final CliRun demo = CliRun.of("demo", "--brokers", "3", "--streams", "60", "--concurrency", "12",
                "--partitions", "3", "--seed", "12");

        assertThat(demo.exitCode()).as(demo.toString()).isZero();
        assertThat(demo.out()).contains("Summary (seed 12", "oracle: 60 reservations, 60 settled, 0 open: PASSED");
        await().atMost(Duration.ofSeconds(10)).until(DemoCommandTest::noDemoThreadLeft);
    }

    private String anyReservation(final String prefix) {
        final TopicRegistry topics = TopicRegistry.create(prefix, Map.of("schema.registry.url",
                stack.schemaRegistryUrl()));
        return new LedgerReader(stack.bootstrapServers(), topics, Duration.ofSeconds(30)).readAll()
                .commands().get(0).getReservationId();
    }

    /** The demo's workers, watcher, progress display, producer and stream threads are all gone. */
    private static boolean noDemoThreadLeft() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .noneMatch(name -> name.startsWith("budget-meter-worker") || name.startsWith("budget-meter-progress")
                        || name.startsWith("budget-meter-command-watcher") || name.contains("budget-meter-fleet")
                        || name.contains("budget-meter-demo-") || name.startsWith("budget-meter-decisions-"));
    }

    private static String[] concat(final String[] first, final String[] second) {
        final String[] all = new String[first.length + second.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
