package dev.budgetmeter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.budgetmeter.cli.topics.TopicPlan;
import dev.budgetmeter.cli.topics.TopicProvisioner;
import dev.budgetmeter.localstack.LocalKafkaCluster;
import dev.budgetmeter.localstack.ScramUser;
import dev.budgetmeter.localstack.junit.WithKafkaCluster;
import dev.budgetmeter.topics.TenantTopics;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code budget-meter acls --apply} on the shared secured cluster: every role's principal, created from a password
 * file through the admin API, does its job and is refused what it must not do. Principals and topics are this test's
 * own, so the cluster's other tests grant them nothing.
 */
@WithKafkaCluster
class AclsCommandTest {

    private static final Duration BOUND = Duration.ofSeconds(60);

    private final LocalKafkaCluster cluster;
    private final String id = UUID.randomUUID().toString().substring(0, 8);
    private final String prefix = "acl" + id + ".";
    private Path passwords;
    private Path adminConfig;

    AclsCommandTest(final LocalKafkaCluster cluster) {
        this.cluster = cluster;
    }

    @BeforeEach
    void topics_and_password_files(@TempDir final Path dir) throws IOException {
        TopicProvisioner.ensureOn(cluster.clientProperties(), TopicPlan.of(prefix, OptionalInt.of(1), (short) 3,
                OptionalInt.empty(), List.of("acme", "globex")), BOUND);
        passwords = Files.createDirectories(dir.resolve("passwords"));
        for (final String role : List.of("topology", "relay", "auditor", "worker-acme", "worker-globex")) {
            Files.writeString(passwords.resolve(user(role)), UUID.randomUUID() + "\n");
        }
        adminConfig = properties(dir.resolve("admin.properties"), cluster.clientProperties());
    }

    @Test
    void printing_the_plan_names_every_role_and_changes_nothing() {
        final CliRun run = CliRun.of("acls", "--topic-prefix", prefix, "--application-id", "app", "--tenant", "acme");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("# topology (User:budget-meter-topology)",
                "# worker of acme (User:budget-meter-worker-acme)", "# relay (User:budget-meter-relay)",
                "# auditor (User:budget-meter-auditor)",
                "User:budget-meter-worker-acme ALLOW WRITE TOPIC LITERAL " + TenantTopics.name(prefix, "acme"))
                .doesNotContain("applied");
    }

    @Test
    void every_principal_does_its_job_and_is_refused_what_it_must_not(@TempDir final Path dir) throws Exception {
        final CliRun applied = apply();
        assertThat(applied.exitCode()).as(applied.toString()).isZero();
        assertThat(applied.out()).contains("5 SCRAM credentials set").doesNotContain(password("worker-acme"));
        assertThat(apply().out()).as("applied again").contains("(0 new)");

        final Map<String, Object> worker = clientOf("worker-acme");
        await("the worker authenticates and writes its tenant's topic").atMost(BOUND).ignoreExceptions()
                .until(() -> send(worker, TenantTopics.name(prefix, "acme")));
        assertRefused(() -> send(worker, TenantTopics.name(prefix, "globex")));
        assertRefused(() -> send(worker, prefix + "stream-events"));
        assertRefused(() -> send(worker, prefix + "commands"));
        assertThat(read(worker, prefix + "decisions", null)).isZero();

        final Map<String, Object> relay = clientOf("relay");
        assertThat(read(relay, prefix + "commands", prefix + "relay")).isZero();
        assertThatThrownBy(() -> read(relay, prefix + "commands", prefix + "another-group"))
                .isInstanceOf(GroupAuthorizationException.class);
        assertRefused(() -> read(relay, prefix + "audit", null));
        assertThat(send(relay, prefix + "command-results")).isTrue();
        assertRefused(() -> send(relay, prefix + "commands"));

        final Path auditorConfig = properties(dir.resolve("auditor.properties"), clientOf("auditor"));
        final CliRun verify = CliRun.of("audit", "verify", "--bootstrap-servers", cluster.bootstrapServers(),
                "--schema-registry-url", cluster.schemaRegistryUrl(), "--topic-prefix", prefix, "--command-config",
                auditorConfig.toString(), "--timeout-seconds", "60");
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        assertRefused(() -> send(clientOf("auditor"), prefix + "stream-events"));
        assertRefused(() -> send(clientOf("topology"), prefix + "stream-events"));
        // Last: a record of no schema in the dead letters would fail the verify above.
        assertThat(send(relay, prefix + "dead-letters")).as("the relay dead-letters what the authority refused")
                .isTrue();
    }

    private CliRun apply() {
        return CliRun.of("acls", "--topic-prefix", prefix, "--application-id", prefix + "app",
                "--topology-principal", "User:" + user("topology"),
                "--relay-principal", "User:" + user("relay"), "--relay-group", prefix + "relay",
                "--auditor-principal", "User:" + user("auditor"),
                "--tenant", "acme=User:" + user("worker-acme"), "--tenant", "globex=User:" + user("worker-globex"),
                "--apply", "--scram-passwords",
                passwords.toString(), "--bootstrap-servers", cluster.bootstrapServers(), "--command-config",
                adminConfig.toString());
    }

    private String user(final String role) {
        return "acl-" + id + "-" + role;
    }

    private String password(final String role) {
        try {
            return Files.readString(passwords.resolve(user(role)), StandardCharsets.UTF_8).strip();
        } catch (final IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Object> clientOf(final String role) {
        return cluster.clientProperties(new ScramUser(user(role), password(role)));
    }

    /** Fails unless the call fails for want of a topic ACL, wherever the client reports it. */
    private static void assertRefused(final ThrowingCallable call) {
        assertThatThrownBy(call).satisfies(failure -> {
            Throwable root = failure;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            assertThat(root).isInstanceOf(TopicAuthorizationException.class);
        });
    }

    /** Sends one record and waits for its acknowledgement. */
    private static boolean send(final Map<String, Object> connection, final String topic) throws Exception {
        final Map<String, Object> properties = new HashMap<>(connection);
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties, new StringSerializer(),
                new StringSerializer())) {
            return producer.send(new ProducerRecord<>(topic, "k", "v")).get(60, TimeUnit.SECONDS) != null;
        }
    }

    /** Reads partition 0 from the start (in {@code group}, committing, when one is given); how many records. */
    private static int read(final Map<String, Object> connection, final String topic, final String group) {
        final Map<String, Object> properties = new HashMap<>(connection);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        if (group != null) {
            properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                new StringDeserializer())) {
            final TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            final int records = consumer.poll(Duration.ofSeconds(2)).count();
            if (group != null) {
                consumer.commitSync(Duration.ofSeconds(30));
            }
            return records;
        }
    }

    private static Path properties(final Path file, final Map<String, Object> settings) throws IOException {
        final Properties properties = new Properties();
        settings.forEach((key, value) -> properties.setProperty(key, String.valueOf(value)));
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(out, null);
        }
        return file;
    }
}
