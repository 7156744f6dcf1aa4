package dev.budgetmeter.reliability.support;

import static org.awaitility.Awaitility.await;

import dev.budgetmeter.cli.audit.LedgerReader;
import dev.budgetmeter.cli.budgets.BudgetRequests;
import dev.budgetmeter.cli.topics.TopicPlan;
import dev.budgetmeter.cli.topics.TopicProvisioner;
import dev.budgetmeter.cli.topics.TopicSpec;
import dev.budgetmeter.localstack.KafkaStack;
import dev.budgetmeter.localstack.LocalKafkaCluster;
import dev.budgetmeter.reliability.workload.EventSender;
import dev.budgetmeter.reliability.workload.WorkloadSubject;
import dev.budgetmeter.schemas.BudgetOperation;
import dev.budgetmeter.schemas.StreamEvent;
import dev.budgetmeter.schemas.Unit;
import dev.budgetmeter.topics.TenantTopics;
import dev.budgetmeter.topics.Topic;
import dev.budgetmeter.topics.TopicRegistry;
import dev.budgetmeter.topics.Topics;
import dev.budgetmeter.topology.MeteringConfig;
import dev.budgetmeter.topology.lifecycle.Authority;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;

/**
 * One scenario's own deployment on the shared stack or the shared secured cluster: a fresh topic prefix and
 * application id, its topics created from {@link Topics#ALL} (through the cli's provisioner; on the cluster with three
 * replicas, and with tenant topics when asked), its parties' connections ({@link ScenarioAccess}), and the metering
 * settings every scenario starts from. Scenarios never share a topic, a consumer group, a principal or a reservation
 * id, so they cannot disturb each other.
 *
 * <p>The application runs with the budget ledger ({@code metering.authority=LEDGER}), so every fault also meets the
 * round trip between the lifecycle and the ledger: a budget too large to run out on each of
 * {@link WorkloadSubject#BUDGETED_SCOPES}, written to the budget-operations topic when the deployment is created,
 * before any application reads it, so the ledger has applied it before the first Reserve arrives.
 */
public final class ScenarioDeployment {

    /** Ttl of every hold: extends are due 4 s after the Reserve, so streams that live 10 s get two. */
    public static final long TTL_MS = 8_000;
    /** Well above the app's processing lag under the scenarios' load, yet short so abandoned streams settle soon. */
    public static final long IDLE_TIMEOUT_MS = 4_000;
    public static final long PUNCTUATION_INTERVAL_MS = 200;
    public static final long ORPHAN_TIMEOUT_MS = 5_000;
    /** The instance of a scenario that runs one: see {@link #meteringSettings(String, Path)}. */
    public static final String INSTANCE = "instance-1";
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    /** USD 10 million in microcents: no scenario's load comes near it. */
    private static final long BUDGET = 1_000_000_000_000_000L;

    private final KafkaStack stack;
    private final ScenarioAccess access;
    private final String prefix;
    private final String registryUrl;
    private final TopicRegistry topics;
    private final List<String> tenants;
    private final int inputPartitions;

    private ScenarioDeployment(final KafkaStack stack, final ScenarioAccess access, final String prefix,
                               final String registryUrl, final List<String> tenants, final int inputPartitions) {
        this.stack = stack;
        this.access = access;
        this.prefix = prefix;
        this.registryUrl = registryUrl;
        this.topics = TopicRegistry.create(prefix, serdeConfig());
        this.tenants = List.copyOf(tenants);
        this.inputPartitions = inputPartitions;
    }

    /** A deployment named after the scenario, with its topics created. */
    public static ScenarioDeployment create(final KafkaStack stack, final String scenario) {
        return create(stack, scenario, stack.schemaRegistryUrl());
    }

    /**
     * A deployment whose application reaches the registry at {@code appRegistryUrl} (for example through a
     * {@link TcpGate}); the test's own clients keep using the stack's registry directly.
     */
    public static ScenarioDeployment create(final KafkaStack stack, final String scenario,
                                            final String appRegistryUrl) {
        final String prefix = prefixOf(scenario);
        return provisioned(stack, ScenarioAccess.open(stack), prefix, appRegistryUrl, List.of());
    }

    /**
     * A deployment on the secured cluster, every party with its own principal and exactly its role's ACLs
     * ({@link ScenarioAccess#leastPrivilege}); three replicas of every topic.
     *
     * @param tenants the tenants with their own input topic (the application then reads those alone), or empty
     * @param tls     whether every party connects over SASL_SSL
     */
    public static ScenarioDeployment onCluster(final LocalKafkaCluster cluster, final String scenario,
                                               final List<String> tenants, final boolean tls) {
        final String prefix = prefixOf(scenario);
        final ScenarioAccess access = ScenarioAccess.leastPrivilege(cluster, prefix, prefix + "metering", tenants,
                tls);
        return provisioned(cluster, access, prefix, cluster.schemaRegistryUrl(), tenants);
    }

    private static String prefixOf(final String scenario) {
        return "rel-" + scenario + "-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    }

    private static ScenarioDeployment provisioned(final KafkaStack stack, final ScenarioAccess access,
                                                  final String prefix, final String appRegistryUrl,
                                                  final List<String> tenants) {
        final List<TopicSpec> plan = TopicPlan.of(prefix, OptionalInt.empty(), access.replicationFactor(),
                OptionalInt.empty(), tenants);
        TopicProvisioner.ensureOn(access.admin(), plan, ADMIN_TIMEOUT);
        awaitLeaders(access.admin(), plan);
        final int inputPartitions = plan.stream().filter(spec -> spec.name().equals(Topics.STREAM_EVENTS.name(prefix)))
                .findFirst().orElseThrow().partitions();
        final ScenarioDeployment deployment = new ScenarioDeployment(stack, access, prefix, appRegistryUrl, tenants,
                inputPartitions);
        deployment.writeBudgets();
        return deployment;
    }

    /** Budgets that cannot run out under any scenario's load, one per budgeted scope of the streams. */
    private void writeBudgets() {
        final Topic<String, BudgetOperation> operations = topics.topic(Topics.BUDGET_OPERATIONS);
        final Map<String, Object> operator = new HashMap<>(access.admin());
        operator.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, BudgetOperation> producer = new KafkaProducer<>(operator,
                operations.keySerde().serializer(), operations.valueSerde().serializer())) {
            for (final String scope : WorkloadSubject.BUDGETED_SCOPES) {
                producer.send(new ProducerRecord<>(operations.name(), WorkloadSubject.TENANT, BudgetRequests.set(
                        prefix + "budget:" + scope, scope, Unit.USD_MICROCENTS, BUDGET, 0, null, "reliability scenario",
                        Instant.now()))).get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (final ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not write the scenario's budgets", e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the scenario's budgets", e);
        }
    }

    /**
     * Waits until the broker leads every partition of the new topics: creation returns once the controller has
     * them, and a producer that writes before the broker serves a partition is told NOT_LEADER_OR_FOLLOWER and
     * retries (seen here to last from milliseconds to, once, past a two-minute delivery timeout under load).
     */
    private static void awaitLeaders(final Map<String, Object> connection, final List<TopicSpec> plan) {
        final Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        plan.forEach(spec -> IntStream.range(0, spec.partitions()).forEach(
                partition -> partitions.put(new TopicPartition(spec.name(), partition), OffsetSpec.latest())));
        try (Admin admin = Admin.create(connection)) {
            await("the broker leads every partition of " + plan.get(0).name() + " and its siblings")
                    .atMost(ADMIN_TIMEOUT.multipliedBy(2)).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .until(() -> admin.listOffsets(partitions).all().get().size() == partitions.size());
        }
    }

    public String prefix() {
        return prefix;
    }

    public String applicationId() {
        return prefix + "metering";
    }

    public String bootstrapServers() {
        return stack.bootstrapServers();
    }

    /** The connection of the test's own bookkeeping clients (a super user on the secured cluster). */
    public Map<String, Object> adminProperties() {
        return access.admin();
    }

    /** Every password and store password its parties connect with, for checks that no log shows one. */
    public Set<String> secrets() {
        return access.secrets();
    }

    /** The tenants with their own input topic, or empty when every worker writes the shared one. */
    public List<String> tenants() {
        return tenants;
    }

    /** The topics of this deployment, with serdes of the test's own registry client. */
    public TopicRegistry topics() {
        return topics;
    }

    /** Serde settings of the test's clients: the stack's registry, directly. */
    public Map<String, Object> serdeConfig() {
        return Map.of(MeteringConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.schemaRegistryUrl());
    }

    /** Partitions of the input topic: one task each. */
    public int inputPartitions() {
        return inputPartitions;
    }

    /** The settings of the one instance {@link #INSTANCE}: see {@link #meteringSettings(String, Path)}. */
    public Map<String, Object> meteringSettings(final Path stateDir) {
        return meteringSettings(INSTANCE, stateDir);
    }

    /**
     * The settings of one instance of this deployment's metering application: fast timers, no standbys,
     * exactly-once (the default), and static membership: {@code group.instance.id} is
     * {@code <application id>-<instance>} (Kafka Streams appends {@code -<thread index>}). Start "the same" instance
     * again with the same name and the same {@code stateDir} (where Kafka Streams keeps its process id, so its
     * transactional ids are the same too): it takes its tasks back at once, without waiting for the dead member's
     * session to time out, and fences the dead one's open transaction. Distinct instances need distinct names.
     * The consumer session is Kafka's default (45 s): a killed instance that does not come back keeps its
     * partitions that long, unless a scenario shortens it.
     * Callers add or override keys.
     */
    public Map<String, Object> meteringSettings(final String instance, final Path stateDir) {
        final Map<String, Object> settings = new HashMap<>(access.topology());
        if (!tenants.isEmpty()) {
            settings.put(MeteringConfig.TENANT_TOPICS_CONFIG, true);
        }
        settings.put(MeteringConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl);
        settings.put(MeteringConfig.APPLICATION_ID_CONFIG, applicationId());
        settings.put(MeteringConfig.TOPIC_PREFIX_CONFIG, prefix);
        settings.put(MeteringConfig.IDLE_TIMEOUT_MS_CONFIG, IDLE_TIMEOUT_MS);
        settings.put(MeteringConfig.PUNCTUATION_INTERVAL_MS_CONFIG, PUNCTUATION_INTERVAL_MS);
        settings.put(MeteringConfig.ORPHAN_TIMEOUT_MS_CONFIG, ORPHAN_TIMEOUT_MS);
        settings.put(MeteringConfig.NUM_STANDBY_REPLICAS_CONFIG, 0);
        settings.put(MeteringConfig.AUTHORITY_CONFIG, Authority.LEDGER.name());
        settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        settings.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) access.replicationFactor());
        settings.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, applicationId() + "-" + instance);
        return settings;
    }

    /** The consumer session timeout that {@code settings} give an instance: theirs, else Kafka's default. */
    public static Duration sessionTimeout(final Map<String, Object> settings) {
        final String key = ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG;
        final Object value = Stream.of(StreamsConfig.mainConsumerPrefix(key), StreamsConfig.consumerPrefix(key), key)
                .map(settings::get).filter(Objects::nonNull).findFirst()
                .orElseGet(() -> ConsumerConfig.configDef().defaultValues().get(key));
        return Duration.ofMillis(Long.parseLong(String.valueOf(value)));
    }

    /**
     * The input partitions assigned now to the instance whose Kafka Streams client id is {@code streamsClientId}
     * (its consumer's client id starts with it), from the consumer group's description: the tasks it runs.
     */
    public Set<Integer> inputPartitionsOf(final String streamsClientId) {
        try (Admin admin = Admin.create(access.admin())) {
            final ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(applicationId()))
                    .describedGroups().get(applicationId()).get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return group.members().stream()
                    .filter(member -> member.clientId().startsWith(streamsClientId + "-"))
                    .flatMap(member -> member.assignment().topicPartitions().stream())
                    .filter(partition -> isInput(partition.topic()))
                    .map(TopicPartition::partition).collect(Collectors.toCollection(TreeSet::new));
        } catch (final ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe the consumer group " + applicationId(), e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing " + applicationId(), e);
        }
    }

    /**
     * Whether the application's consumer group is stable now (no rebalance under way) with {@code members} members
     * that together own every input partition: a moment to inject the next fault into a settled group.
     */
    public boolean groupSettled(final int members) {
        try (Admin admin = Admin.create(access.admin())) {
            final ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(applicationId()))
                    .describedGroups().get(applicationId()).get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            final long owned = group.members().stream()
                    .flatMap(member -> member.assignment().topicPartitions().stream())
                    .filter(partition -> isInput(partition.topic())).count();
            return group.groupState() == GroupState.STABLE && group.members().size() == members
                    && owned == (long) inputPartitions * Math.max(1, tenants.size());
        } catch (final ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe the consumer group " + applicationId(), e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing " + applicationId(), e);
        }
    }

    /**
     * The input partition that holds the most records now (of the shared topic, or of the first tenant's): where
     * the load is heaviest.
     */
    public int busiestInputPartition() {
        final String input = tenants.isEmpty() ? topics.name(Topics.STREAM_EVENTS)
                : TenantTopics.name(prefix, tenants.get(0));
        final Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        IntStream.range(0, inputPartitions).forEach(partition -> partitions.put(new TopicPartition(input, partition),
                OffsetSpec.latest()));
        try (Admin admin = Admin.create(access.admin())) {
            return admin.listOffsets(partitions).all().get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS).entrySet()
                    .stream().max(Map.Entry.comparingByValue(
                            Comparator.comparingLong(ListOffsetsResult.ListOffsetsResultInfo::offset)))
                    .orElseThrow().getKey().partition();
        } catch (final ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the end offsets of " + input, e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the end offsets of " + input, e);
        }
    }

    /** The node id of the broker that coordinates the application's consumer group now. */
    public int groupCoordinator() {
        try (Admin admin = Admin.create(access.admin())) {
            return admin.describeConsumerGroups(List.of(applicationId())).describedGroups().get(applicationId())
                    .get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS).coordinator().id();
        } catch (final ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe the consumer group " + applicationId(), e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing " + applicationId(), e);
        }
    }

    /** Whether the application reads {@code topic} as input: the shared input topic, or a tenant's. */
    public boolean isInput(final String topic) {
        return tenants.isEmpty() ? topic.equals(topics.name(Topics.STREAM_EVENTS))
                : TenantTopics.tenantOf(prefix, topic).isPresent();
    }

    /** A worker-like sender of stream events to this deployment's shared input topic. */
    public EventSender eventSender() {
        return eventSender(Map.of());
    }

    public EventSender eventSender(final Map<String, Object> producerOverrides) {
        final Topic<String, StreamEvent> input = topics.topic(Topics.STREAM_EVENTS);
        final Map<String, Object> properties = new HashMap<>(access.worker(ScenarioAccess.SHARED));
        properties.putAll(producerOverrides);
        return new EventSender(properties, input);
    }

    /** A worker of {@code tenant}, as its principal, writing its tenant's input topic. */
    public EventSender tenantSender(final String tenant) {
        return new EventSender(access.worker(tenant), topics.tenantInput(tenant));
    }

    /**
     * The sender of a worker of {@code tenant}, as its principal, to another topic of this deployment (to show the
     * ACLs refuse it).
     */
    public EventSender tenantSenderTo(final String tenant, final Topic<String, StreamEvent> topic) {
        return new EventSender(access.worker(tenant), topic);
    }

    /** The cli's reader of this deployment's output topics (read_committed), as its auditor. */
    public LedgerReader ledgerReader() {
        return new LedgerReader(access.auditor(), topics, Duration.ofSeconds(20));
    }
}
