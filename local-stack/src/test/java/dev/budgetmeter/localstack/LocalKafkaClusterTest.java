package dev.budgetmeter.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.budgetmeter.localstack.junit.WithKafkaCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shared secured cluster: three child-JVM brokers that replicate as the compose file says and survive the
 * {@code kill -9} of a leader, SCRAM users that get nothing without an ACL, a SASL_SSL listener, and no password in
 * any log.
 */
@WithKafkaCluster
class LocalKafkaClusterTest {

    private static final Duration BOUND = Duration.ofSeconds(60);

    private final LocalKafkaCluster cluster;

    LocalKafkaClusterTest(final LocalKafkaCluster cluster) {
        this.cluster = cluster;
    }

    @AfterEach
    void every_broker_runs_again() {
        cluster.brokers().forEach(ChildKafkaBroker::start);
    }

    @Test
    void topics_replicate_three_times_and_keep_every_acknowledged_record_when_their_leader_is_killed()
            throws Exception {
        // Given a topic created without a replication factor, and records acknowledged by all in-sync replicas
        final String topic = "cluster-kill-" + UUID.randomUUID();
        try (Admin admin = Admin.create(cluster.clientProperties())) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty())))
                    .all().get(60, TimeUnit.SECONDS);
            final TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(60, TimeUnit.SECONDS).get(topic);
            assertThat(description.partitions().get(0).replicas()).hasSize(3);
            final Config config = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, topic)))
                    .all().get(60, TimeUnit.SECONDS).values().iterator().next();
            assertThat(config.get("min.insync.replicas").value()).isEqualTo("2");
        }
        try (KafkaProducer<String, String> producer = producer(cluster.clientProperties())) {
            sendNumbered(producer, topic, 0, 50);

            // When the partition's leader is killed with SIGKILL and the producer goes on
            final ChildKafkaBroker leader = cluster.broker(cluster.leaderOf(topic, 0));
            final long pid = leader.pid().orElseThrow();
            leader.kill();
            assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
            sendNumbered(producer, topic, 50, 100);
            assertThat(cluster.leaderOf(topic, 0)).isNotEqualTo(leader.nodeId());

            // And the killed broker comes back
            leader.start();
        }

        // Then every acknowledged record is there exactly once
        assertThat(readAll(topic, 100)).containsExactlyElementsOf(
                Stream.iterate(0, i -> i + 1).limit(100).map(String::valueOf).toList());
    }

    @Test
    void a_client_without_credentials_or_with_a_wrong_password_is_refused() {
        final Map<String, Object> wrongPassword = new HashMap<>(cluster.clientProperties(
                new ScramUser(cluster.admin().name(), "not-the-password")));
        assertThatThrownBy(() -> describeCluster(wrongPassword)).hasCauseInstanceOf(SaslAuthenticationException.class);
        final Map<String, Object> anonymous = new HashMap<>(Map.of("bootstrap.servers", cluster.bootstrapServers(),
                "request.timeout.ms", 3_000, "default.api.timeout.ms", 6_000));
        assertThatThrownBy(() -> describeCluster(anonymous)).isInstanceOf(ExecutionException.class);
    }

    @Test
    void a_new_user_may_do_nothing_until_an_acl_allows_it_then_exactly_that_over_tls() throws Exception {
        // Given a new user and two topics
        final String allowed = "cluster-acl-allowed-" + UUID.randomUUID();
        final String other = "cluster-acl-other-" + UUID.randomUUID();
        final ScramUser user = cluster.createUser("probe-" + UUID.randomUUID().toString().substring(0, 8));
        try (Admin admin = Admin.create(cluster.clientProperties())) {
            admin.createTopics(List.of(new NewTopic(allowed, 1, (short) 3), new NewTopic(other, 1, (short) 3)))
                    .all().get(60, TimeUnit.SECONDS);

            // When nothing allows it, it cannot write
            try (KafkaProducer<String, String> producer = producer(cluster.tlsClientProperties(user))) {
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>(allowed, "k", "v")).get())
                        .hasCauseInstanceOf(TopicAuthorizationException.class);
            }

            // When an ACL allows writing one topic
            admin.createAcls(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, allowed,
                    PatternType.LITERAL), new AccessControlEntry(user.principal(), "*", AclOperation.WRITE,
                    AclPermissionType.ALLOW)))).all().get(60, TimeUnit.SECONDS);
        }

        // Then it writes that topic over SASL_SSL, and still not the other one
        try (KafkaProducer<String, String> producer = producer(cluster.tlsClientProperties(user))) {
            Awaitility.await("the ACL reached every broker").atMost(BOUND).ignoreExceptions()
                    .until(() -> producer.send(new ProducerRecord<>(allowed, "k", "v")).get() != null);
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(other, "k", "v")).get())
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void no_log_and_no_description_shows_a_password() throws IOException {
        // Logs are read byte for byte (ISO-8859-1): a JVM's output is not always valid UTF-8.
        final ScramUser user = cluster.createUser("log-probe-" + UUID.randomUUID().toString().substring(0, 8));
        final List<String> secrets = List.of(cluster.admin().password(), user.password(),
                String.valueOf(cluster.tlsClientProperties(user).get("ssl.truststore.password")));
        assertThat(cluster.description()).doesNotContain(secrets);
        assertThat(user.toString()).doesNotContain(user.password());
        final List<Path> logs = new ArrayList<>();
        try (Stream<Path> files = Files.walk(cluster.workDirectory())) {
            files.filter(file -> file.toString().endsWith(".log")).forEach(logs::add);
        }
        assertThat(logs).hasSizeGreaterThanOrEqualTo(cluster.brokers().size());
        for (final Path log : logs) {
            assertThat(Files.readString(log, StandardCharsets.ISO_8859_1)).as(log.toString()).doesNotContain(secrets);
        }
    }

    private static void describeCluster(final Map<String, Object> properties) throws Exception {
        properties.putIfAbsent("request.timeout.ms", 5_000);
        properties.putIfAbsent("default.api.timeout.ms", 10_000);
        try (Admin admin = Admin.create(properties)) {
            admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
        }
    }

    private static KafkaProducer<String, String> producer(final Map<String, Object> connection) {
        final Map<String, Object> properties = new HashMap<>(connection);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        return new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
    }

    private static void sendNumbered(final KafkaProducer<String, String> producer, final String topic,
            final int from, final int to) throws Exception {
        final List<Future<?>> acknowledgements = new ArrayList<>();
        for (int i = from; i < to; i++) {
            acknowledgements.add(producer.send(new ProducerRecord<>(topic, "k", String.valueOf(i))));
        }
        for (final Future<?> acknowledgement : acknowledgements) {
            acknowledgement.get(120, TimeUnit.SECONDS);
        }
    }

    private List<String> readAll(final String topic, final int expected) {
        final Map<String, Object> properties = new HashMap<>(cluster.clientProperties());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                new StringDeserializer())) {
            final TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            final List<String> values = new ArrayList<>();
            Awaitility.await("records of " + topic).atMost(BOUND).pollInSameThread().pollDelay(Duration.ZERO)
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
                        return values.size() >= expected;
                    });
            // A duplicate would arrive with the last ones: read once more before judging.
            consumer.poll(Duration.ofSeconds(1)).forEach(record -> values.add(record.value()));
            return values;
        }
    }
}
