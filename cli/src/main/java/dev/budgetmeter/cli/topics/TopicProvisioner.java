package dev.budgetmeter.cli.topics;

import dev.budgetmeter.poll.Poll;
import dev.budgetmeter.topics.TopicAdmin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the planned topics that are missing and checks the ones that exist, idempotently: running it again, or
 * from several processes at once, creates each topic once and changes nothing else. An existing topic that differs
 * from the plan (partitions, replication factor, a setting) is reported, never altered: shrinking partitions is
 * impossible and growing them would move reservations between partitions.
 */
public final class TopicProvisioner {

    /** Brokers join a starting cluster within seconds: once a second is often enough to ask. */
    private static final Duration BROKER_POLL = Duration.ofSeconds(1);

    private final Admin admin;
    private final Duration timeout;

    /** @param timeout bound on each round trip to the cluster */
    public TopicProvisioner(final Admin admin, final Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /** Makes every planned topic exist on the cluster at {@code bootstrapServers}; see {@link #ensure}. */
    public static List<TopicReport> ensureOn(final String bootstrapServers, final List<TopicSpec> plan,
                                             final Duration timeout) {
        return ensureOn(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), plan, timeout);
    }

    /**
     * Makes every planned topic exist on the cluster that {@code connection} reaches ({@code bootstrap.servers} and
     * any security settings of a principal allowed to create topics); see {@link #ensure}.
     */
    public static List<TopicReport> ensureOn(final Map<String, Object> connection, final List<TopicSpec> plan,
                                             final Duration timeout) {
        final int timeoutMs = (int) timeout.toMillis();
        final Map<String, Object> properties = new HashMap<>(connection);
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        try (Admin admin = Admin.create(properties)) {
            return new TopicProvisioner(admin, timeout).ensure(plan);
        }
    }

    /**
     * Makes every planned topic exist; one report per topic, in plan order. First waits, within the timeout, until
     * the cluster has as many brokers as the highest replication factor planned: brokers that just started (an init
     * step in docker-compose) register one by one.
     */
    public List<TopicReport> ensure(final List<TopicSpec> plan) {
        awaitBrokers(plan.stream().mapToInt(TopicSpec::replicationFactor).max().orElse(1));
        final Set<String> existing = await(admin.listTopics().names());
        final List<TopicSpec> missing = plan.stream().filter(spec -> !existing.contains(spec.name())).toList();
        final Set<String> created = create(missing);
        final List<TopicSpec> toCheck = plan.stream().filter(spec -> !created.contains(spec.name())).toList();
        final Map<String, List<String>> differences = differences(toCheck);
        final List<TopicReport> reports = new ArrayList<>();
        for (final TopicSpec spec : plan) {
            if (created.contains(spec.name())) {
                reports.add(new TopicReport(spec, TopicReport.Outcome.CREATED, List.of()));
            } else {
                final List<String> differs = differences.get(spec.name());
                reports.add(new TopicReport(spec, differs.isEmpty() ? TopicReport.Outcome.EXISTS
                        : TopicReport.Outcome.DIFFERS, differs));
            }
        }
        return reports;
    }

    private void awaitBrokers(final int needed) {
        final AtomicInteger brokers = new AtomicInteger();
        if (!Poll.until(() -> {
            brokers.set(await(admin.describeCluster().nodes()).size());
            return brokers.get() >= needed;
        }, timeout, BROKER_POLL)) {
            throw new IllegalStateException("the cluster has " + brokers.get() + " broker(s), fewer than the"
                    + " replication factor " + needed + " (waited " + timeout.toSeconds() + " s); lower"
                    + " --replication-factor");
        }
    }

    /** Creates the topics; those another process created meanwhile are left out of the returned names. */
    private Set<String> create(final List<TopicSpec> specs) {
        if (specs.isEmpty()) {
            return Set.of();
        }
        final List<NewTopic> newTopics = specs.stream().map(spec -> new NewTopic(spec.name(), spec.partitions(),
                spec.replicationFactor()).configs(spec.configs())).toList();
        final Map<String, KafkaFuture<Void>> results = admin.createTopics(newTopics,
                new CreateTopicsOptions().timeoutMs((int) timeout.toMillis())).values();
        final Set<String> created = results.entrySet().stream().filter(entry -> createdNow(entry.getValue()))
                .map(Map.Entry::getKey).collect(Collectors.toSet());
        // Writers may start as soon as this returns: their first batches must find a leader.
        TopicAdmin.awaitLeaders(admin, specs.stream().map(TopicSpec::name).toList(), timeout);
        return created;
    }

    private boolean createdNow(final KafkaFuture<Void> result) {
        try {
            result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (final ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false;
            }
            throw new IllegalStateException("creating a topic failed: " + e.getCause().getMessage(), e.getCause());
        } catch (final Exception e) {
            throw failure(e);
        }
    }

    private Map<String, List<String>> differences(final List<TopicSpec> specs) {
        if (specs.isEmpty()) {
            return Map.of();
        }
        final Collection<String> names = specs.stream().map(TopicSpec::name).toList();
        final Map<String, TopicDescription> descriptions = await(admin.describeTopics(names).allTopicNames());
        final List<ConfigResource> resources = names.stream()
                .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
        final Map<ConfigResource, Config> configs = await(admin.describeConfigs(resources).all());
        return specs.stream().collect(Collectors.toMap(TopicSpec::name, spec -> differences(spec,
                descriptions.get(spec.name()), configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name())))));
    }

    static List<String> differences(final TopicSpec spec, final TopicDescription description, final Config config) {
        final List<String> differences = new ArrayList<>();
        final int partitions = description.partitions().size();
        if (partitions != spec.partitions()) {
            differences.add("it has " + partitions + " partitions, the plan " + spec.partitions());
        }
        final int replicas = description.partitions().get(0).replicas().size();
        if (replicas != spec.replicationFactor()) {
            differences.add("replication factor " + replicas + ", the plan " + spec.replicationFactor());
        }
        spec.configs().forEach((key, planned) -> {
            final ConfigEntry entry = config.get(key);
            final String actual = entry == null ? null : entry.value();
            if (!planned.equals(actual)) {
                differences.add(key + "=" + actual + ", the plan " + planned);
            }
        });
        return differences;
    }

    private <T> T await(final KafkaFuture<T> future) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (final Exception e) {
            throw failure(e);
        }
    }

    private RuntimeException failure(final Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new IllegalStateException("the cluster did not answer within " + timeout + ": " + e, e);
    }
}
