package dev.budgetmeter.localstack;

import dev.budgetmeter.localstack.ChildKafkaBroker.Formatting;
import dev.budgetmeter.localstack.KraftClusterNodeConfig.NodePorts;
import dev.budgetmeter.localstack.internal.ApicurioDistribution;
import dev.budgetmeter.localstack.internal.Deadline;
import dev.budgetmeter.localstack.internal.Directories;
import dev.budgetmeter.localstack.internal.Loopback;
import dev.budgetmeter.localstack.internal.OwnerOnly;
import dev.budgetmeter.localstack.internal.Parallel;
import dev.budgetmeter.localstack.internal.Parallel.Task;
import dev.budgetmeter.localstack.internal.Secrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka cluster of several KRaft nodes on this machine, each broker and controller in a JVM of its own
 * ({@link ChildKafkaBroker}), plus Apicurio Registry in a child JVM, without Docker. Replication as the compose file
 * has it: factor 3 and {@code min.insync.replicas} 2 with three brokers.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>{@link #start} returns once every node answers and is registered and the registry answers; they start
 *       concurrently. If any fails, everything is stopped and the failure names the part and quotes its log; the temp
 *       directory is then kept.</li>
 *   <li>Everything listens on {@code 127.0.0.1}, on free ports. Every node can be stopped ({@code SIGTERM}), killed
 *       ({@code kill -9}) and started again on the same ports and data: the others keep serving.</li>
 *   <li>Secured ({@link LocalClusterOptions#secured()}): no client gets in without a SCRAM-SHA-512 user and no user
 *       does anything without an ACL, except the administrator ({@link #clientProperties()}), the only super user,
 *       bootstrapped at format time. Further users are created through the admin API ({@link #createUser}). Every
 *       node also serves SASL_SSL ({@link #tlsBootstrapServers()}) with a certificate made for the run. Passwords are
 *       random per run; no log line of this class or of the brokers shows one.</li>
 *   <li>Nothing outlives this JVM: every child dies with it even on {@code kill -9}; {@link #close()} (or a shutdown
 *       hook) stops them and removes the temp directory.</li>
 * </ul>
 */
public final class LocalKafkaCluster implements KafkaStack {

    private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaCluster.class);
    private static final String TEMP_DIR_PREFIX = "budget-meter-cluster-";
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(200);
    private static final int SCRAM_ITERATIONS = 4096;

    private final Path workDirectory;
    private final List<ChildKafkaBroker> brokers;
    private final ApicurioRegistry registry;
    private final ClusterSecurity security;
    private final Duration startupTime;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread closeAtJvmExit = new Thread(this::shutDownOnce, "budgetmeter-cluster-exit");

    private LocalKafkaCluster(final Path workDirectory, final List<ChildKafkaBroker> brokers,
            final ApicurioRegistry registry, final ClusterSecurity security, final Duration startupTime) {
        this.workDirectory = workDirectory;
        this.brokers = List.copyOf(brokers);
        this.registry = registry;
        this.security = security;
        this.startupTime = startupTime;
    }

    /** Starts a cluster as {@code options} say; see the class comment for the guarantees. */
    public static LocalKafkaCluster start(final LocalClusterOptions options) {
        final long startNanos = System.nanoTime();
        final List<NodePorts> ports = new ArrayList<>();
        final int registryPort = reservePorts(options, ports);
        final ApicurioDistribution distribution = ApicurioDistribution.fromSystem();
        final Path workDirectory = Directories.createTemp(TEMP_DIR_PREFIX);
        final ClusterSecurity security = options.secured() ? ClusterSecurity.generate(workDirectory.resolve("tls"))
                : null;
        final List<ChildKafkaBroker> brokers = nodes(options, ports, workDirectory, security);
        final ApicurioRegistry registry = new ApicurioRegistry(distribution::home, workDirectory.resolve("registry"),
                registryPort, options.registryStartTimeout());
        final List<Task> starts = new ArrayList<>();
        brokers.forEach(broker -> starts.add(new Task("kafka-" + broker.nodeId() + "-start", broker::start)));
        starts.add(new Task("registry-start", registry::start));
        try {
            Parallel.runAll(starts);
        } catch (final RuntimeException e) {
            try {
                killAll(brokers, registry);
            } catch (final RuntimeException cleanupFailure) {
                e.addSuppressed(cleanupFailure);
            }
            LOG.warn("Local Kafka cluster failed to start; kept {} for its logs", workDirectory);
            throw e;
        }
        final LocalKafkaCluster cluster = new LocalKafkaCluster(workDirectory, brokers, registry, security,
                Duration.ofNanos(System.nanoTime() - startNanos));
        Runtime.getRuntime().addShutdownHook(cluster.closeAtJvmExit);
        LOG.info("Local Kafka cluster up in {}: {}", Deadline.seconds(cluster.startupTime), cluster.description());
        return cluster;
    }

    /** Every node's client listener (SASL_PLAINTEXT when secured, PLAINTEXT otherwise), comma-separated. */
    @Override
    public String bootstrapServers() {
        return brokers.stream().map(ChildKafkaBroker::bootstrapServers).collect(Collectors.joining(","));
    }

    /**
     * Every node's SASL_SSL listener, comma-separated.
     *
     * @throws IllegalStateException on a cluster without security, which has none
     */
    public String tlsBootstrapServers() {
        requireSecured("TLS listeners");
        return brokers.stream().map(ChildKafkaBroker::tlsBootstrapServers).collect(Collectors.joining(","));
    }

    @Override
    public String schemaRegistryUrl() {
        return registry.url();
    }

    /** The bootstrap servers and, when secured, the administrator's settings: a super user. */
    @Override
    public Map<String, Object> clientProperties() {
        final Map<String, Object> properties = new HashMap<>();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        if (security != null) {
            properties.putAll(security.plaintextClient(security.admin()));
        }
        return properties;
    }

    /** The settings of a client that authenticates as {@code user} on the SASL_PLAINTEXT listeners. */
    public Map<String, Object> clientProperties(final ScramUser user) {
        requireSecured("users");
        final Map<String, Object> properties = new HashMap<>(security.plaintextClient(user));
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return properties;
    }

    /** The settings of a client that authenticates as {@code user} on the SASL_SSL listeners, trusting their cert. */
    public Map<String, Object> tlsClientProperties(final ScramUser user) {
        requireSecured("TLS listeners");
        final Map<String, Object> properties = new HashMap<>(security.tlsClient(user));
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, tlsBootstrapServers());
        return properties;
    }

    /**
     * Writes the administrator's client settings (bootstrap servers and security, over SASL_SSL when {@code tls})
     * into a properties file in the work directory, readable by its owner only, and returns its path: what Kafka's
     * tools and {@code budget-meter --command-config} take. The file goes away with the cluster.
     */
    public Path adminConfigFile(final boolean tls) {
        requireSecured("administrator");
        final Path file = Directories.create(workDirectory.resolve("clients"))
                .resolve(tls ? "admin-tls.properties" : "admin.properties");
        final Properties properties = new Properties();
        (tls ? tlsClientProperties(security.admin()) : clientProperties()).forEach((key, value) ->
                properties.setProperty(key, String.valueOf(value)));
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(out, "administrator of the local cluster: a super user");
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        OwnerOnly.restrict(file);
        return file;
    }

    /** The administrator, the one super user of a secured cluster. */
    public ScramUser admin() {
        requireSecured("an administrator");
        return security.admin();
    }

    /**
     * Creates (or sets a new random password for) the SCRAM-SHA-512 user {@code name} through the admin API, and
     * returns once every running node authenticates it: credentials reach the brokers through the metadata log, a
     * little after the controller accepted them. The user can do nothing until ACLs allow it.
     */
    public ScramUser createUser(final String name) {
        requireSecured("users");
        final ScramUser user = new ScramUser(name, Secrets.random());
        try (Admin admin = Admin.create(clientProperties())) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(name,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS), user.password())))
                    .all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create the SCRAM user " + name + ": " + e, e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the SCRAM user " + name, e);
        }
        brokers.stream().filter(ChildKafkaBroker::isRunning).forEach(broker -> awaitAuthenticates(broker, user));
        LOG.info("SCRAM user {} created on {}", name, bootstrapServers());
        return user;
    }

    /** The nodes, by ascending node id (1, 2, 3, ...). */
    public List<ChildKafkaBroker> brokers() {
        return brokers;
    }

    /** The node with this id. */
    public ChildKafkaBroker broker(final int nodeId) {
        return brokers.stream().filter(broker -> broker.nodeId() == nodeId).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + nodeId + " in " + description()));
    }

    /** The node id that leads {@code topic}'s {@code partition} now, as the cluster's metadata says. */
    public int leaderOf(final String topic, final int partition) {
        try (Admin admin = Admin.create(clientProperties())) {
            final TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            final Node leader = description.partitions().get(partition).leader();
            if (leader == null || leader.isEmpty()) {
                throw new IllegalStateException(topic + "-" + partition + " has no leader now");
            }
            return leader.id();
        } catch (final ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe " + topic + ": " + e, e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing " + topic, e);
        }
    }

    /** The registry child JVM (same port across restarts, schemas lost). */
    public ApicurioRegistry registry() {
        return registry;
    }

    /** Whether SASL/SCRAM, TLS and ACLs are on. */
    public boolean isSecured() {
        return security != null;
    }

    /** The temp directory holding every node's data and log and the registry's log; removed by {@link #close()}. */
    public Path workDirectory() {
        return workDirectory;
    }

    /** How long {@link #start} took until every part answered. */
    public Duration startupTime() {
        return startupTime;
    }

    @Override
    public String description() {
        return "local cluster (" + brokers.size() + " brokers at " + bootstrapServers()
                + (security == null ? ", no security" : ", SASL/SCRAM-SHA-512 and ACLs, SASL_SSL at "
                + tlsBootstrapServers()) + ", " + registry + ", work dir " + workDirectory + ")";
    }

    /**
     * Kills every node and stops the registry, then removes the temp directory: a test cluster's data is thrown away,
     * so nothing waits for a controlled shutdown. Calling it again does nothing.
     */
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
            try {
                killAll(brokers, registry);
            } finally {
                Directories.deleteRecursively(workDirectory);
            }
        }
    }

    private void requireSecured(final String what) {
        if (security == null) {
            throw new IllegalStateException("a local cluster without security has no " + what
                    + ": start it with LocalClusterOptions.withSecurity(true)");
        }
    }

    private void awaitAuthenticates(final ChildKafkaBroker broker, final ScramUser user) {
        final Map<String, Object> properties = new HashMap<>(security.plaintextClient(user));
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        final Deadline deadline = Deadline.in(ADMIN_TIMEOUT);
        while (true) {
            try (Admin admin = Admin.create(properties)) {
                admin.describeCluster().clusterId().get(5, TimeUnit.SECONDS);
                return;
            } catch (final ExecutionException e) {
                if (!(e.getCause() instanceof SaslAuthenticationException) || deadline.hasExpired()) {
                    throw new IllegalStateException(broker + " does not authenticate " + user + ": " + e.getCause(),
                            e.getCause());
                }
            } catch (final TimeoutException e) {
                if (deadline.hasExpired()) {
                    throw new IllegalStateException(broker + " did not answer " + user + " in time", e);
                }
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + broker, e);
            }
            deadline.pause(PROBE_INTERVAL);
        }
    }

    private static List<ChildKafkaBroker> nodes(final LocalClusterOptions options, final List<NodePorts> ports,
            final Path workDirectory, final ClusterSecurity security) {
        final String voters = votersOf(ports);
        final String clusterId = Uuid.randomUuid().toString();
        final Formatting formatting = new Formatting(clusterId, security == null ? List.of()
                : security.formatArguments());
        final Map<String, Object> adminSecurity = security == null ? Map.of()
                : security.plaintextClient(security.admin());
        final List<ChildKafkaBroker> nodes = new ArrayList<>();
        for (int index = 0; index < ports.size(); index++) {
            final int nodeId = index + 1;
            final Path nodeDir = Directories.create(workDirectory.resolve("kafka-" + nodeId));
            nodes.add(new ChildKafkaBroker(nodeId, ports.get(index), nodeDir, KraftClusterNodeConfig.of(nodeId,
                    ports.get(index), voters, nodeDir.resolve("data"), options, security), formatting, adminSecurity,
                    options.brokerStartTimeout()));
        }
        return nodes;
    }

    private static String votersOf(final List<NodePorts> ports) {
        final List<String> voters = new ArrayList<>();
        for (int index = 0; index < ports.size(); index++) {
            voters.add((index + 1) + "@" + Loopback.address(ports.get(index).controller()));
        }
        return String.join(",", voters);
    }

    /** Picks distinct free ports for every node and the registry; returns the registry's. */
    private static int reservePorts(final LocalClusterOptions options, final List<NodePorts> ports) {
        try (LoopbackPorts reserved = new LoopbackPorts()) {
            for (int node = 1; node <= options.brokers(); node++) {
                final String component = ChildKafkaBroker.COMPONENT + " " + node;
                ports.add(new NodePorts(reserved.reserve(0, component),
                        options.secured() ? reserved.reserve(0, component + " TLS listener") : 0,
                        reserved.reserve(0, component + " controller")));
            }
            return reserved.reserve(0, ApicurioRegistry.COMPONENT);
        }
    }

    private static void killAll(final List<ChildKafkaBroker> brokers, final ApicurioRegistry registry) {
        final List<Task> stops = new ArrayList<>();
        brokers.forEach(broker -> stops.add(new Task("kafka-" + broker.nodeId() + "-kill", broker::kill)));
        stops.add(new Task("registry-stop", registry::stop));
        Parallel.runAll(stops);
    }
}
