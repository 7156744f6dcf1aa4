package dev.budgetmeter.reliability.support;

import dev.budgetmeter.cli.acls.AccessPlan;
import dev.budgetmeter.cli.acls.AclApplier;
import dev.budgetmeter.cli.acls.Principals;
import dev.budgetmeter.localstack.KafkaStack;
import dev.budgetmeter.localstack.LocalKafkaCluster;
import dev.budgetmeter.localstack.ScramUser;
import dev.budgetmeter.topology.lifecycle.Authority;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;

/**
 * Who each party of a scenario connects as. On a stack without security everyone connects alike. On the secured
 * cluster each role is a SCRAM user of the scenario's own with exactly the ACLs {@code budget-meter acls} gives it
 * ({@link AccessPlan}): the application runs as the topology, the load as workers (one per tenant with tenant
 * topics), the oracle reads as an auditor; only the test's own bookkeeping (topics, group and transaction
 * descriptions) uses the administrator. Immutable.
 *
 * @param admin             the test's own clients: a super user on the secured cluster
 * @param topology          the metering application's clients
 * @param workers           the workers' clients, by tenant; the key {@link #SHARED} for the shared input topic
 * @param auditor           the oracle's reader
 * @param replicationFactor of the scenario's topics and of the application's internal topics
 */
public record ScenarioAccess(Map<String, Object> admin, Map<String, Object> topology,
                             Map<String, Map<String, Object>> workers, Map<String, Object> auditor,
                             short replicationFactor) {

    /** The workers' key when every tenant writes the shared input topic. */
    public static final String SHARED = "";
    private static final Pattern JAAS_PASSWORD = Pattern.compile("password=\"([^\"]+)\"");

    public ScenarioAccess {
        admin = Map.copyOf(admin);
        topology = Map.copyOf(topology);
        workers = Map.copyOf(workers);
        auditor = Map.copyOf(auditor);
    }

    /** Everyone connects as the stack's clients do; one replica. */
    public static ScenarioAccess open(final KafkaStack stack) {
        final Map<String, Object> everyone = stack.clientProperties();
        return new ScenarioAccess(everyone, everyone, Map.of(SHARED, everyone), everyone, (short) 1);
    }

    /**
     * A user per role on the secured cluster, with the deployment's least-privilege ACLs applied; three replicas.
     *
     * @param tenants the tenants with their own input topic, or empty for the shared one
     * @param tls     whether the roles connect over SASL_SSL instead of SASL_PLAINTEXT
     */
    public static ScenarioAccess leastPrivilege(final LocalKafkaCluster cluster, final String prefix,
                                                final String applicationId, final List<String> tenants,
                                                final boolean tls) {
        final String users = prefix.replaceAll("[^A-Za-z0-9-]", "-");
        final ScramUser topology = cluster.createUser(users + "topology");
        final ScramUser auditor = cluster.createUser(users + "auditor");
        final Map<String, ScramUser> workers = new HashMap<>();
        if (tenants.isEmpty()) {
            workers.put(SHARED, cluster.createUser(users + "worker"));
        } else {
            tenants.forEach(tenant -> workers.put(tenant, cluster.createUser(users + "worker-" + tenant)));
        }
        final Map<String, String> tenantWorkers = new HashMap<>();
        tenants.forEach(tenant -> tenantWorkers.put(tenant, workers.get(tenant).principal()));
        // With tenant topics the plan gives the shared topic's worker nothing: its name only fills the slot.
        final String sharedWorker = workers.containsKey(SHARED) ? workers.get(SHARED).principal()
                : "User:" + users + "worker";
        // The scenarios run the budget ledger (see ScenarioDeployment), so the topology gets the ledger's ACLs too.
        final AccessPlan plan = AccessPlan.of(prefix, applicationId, Authority.LEDGER, prefix + "relay",
                new Principals(topology.principal(), sharedWorker, "User:" + users + "relay", auditor.principal(),
                        tenantWorkers));
        try (Admin admin = Admin.create(cluster.clientProperties())) {
            new AclApplier(admin, Duration.ofSeconds(60)).apply(plan.bindings());
        }
        final Map<String, Map<String, Object>> workerClients = new HashMap<>();
        workers.forEach((tenant, user) -> workerClients.put(tenant, client(cluster, user, tls)));
        return new ScenarioAccess(cluster.clientProperties(), client(cluster, topology, tls), workerClients,
                client(cluster, auditor, tls), (short) 3);
    }

    /**
     * Every secret in these connections: the passwords in their JAAS settings and the trust store passwords, for
     * checks that no log shows one.
     */
    public Set<String> secrets() {
        final Set<String> secrets = new HashSet<>();
        final List<Map<String, Object>> all = new ArrayList<>(List.of(admin, topology, auditor));
        all.addAll(workers.values());
        for (final Map<String, Object> connection : all) {
            final Matcher password = JAAS_PASSWORD.matcher(String.valueOf(connection.get("sasl.jaas.config")));
            while (password.find()) {
                secrets.add(password.group(1));
            }
            if (connection.get("ssl.truststore.password") != null) {
                secrets.add(String.valueOf(connection.get("ssl.truststore.password")));
            }
        }
        return secrets;
    }

    /** The clients of the worker of {@code tenant}, or of the shared input topic's worker for {@link #SHARED}. */
    public Map<String, Object> worker(final String tenant) {
        final Map<String, Object> clients = workers.get(tenant);
        if (clients == null) {
            throw new IllegalArgumentException("no worker for tenant '" + tenant + "' in this scenario");
        }
        return clients;
    }

    private static Map<String, Object> client(final LocalKafkaCluster cluster, final ScramUser user,
                                              final boolean tls) {
        return tls ? cluster.tlsClientProperties(user) : cluster.clientProperties(user);
    }
}
