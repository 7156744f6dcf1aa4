package dev.budgetmeter.cli;

import dev.budgetmeter.cli.acls.AccessPlan;
import dev.budgetmeter.cli.acls.AclApplier;
import dev.budgetmeter.cli.acls.AclFormat;
import dev.budgetmeter.cli.acls.Principals;
import dev.budgetmeter.cli.acls.RoleAcls;
import dev.budgetmeter.relay.RelayConfig;
import dev.budgetmeter.topology.MeteringConfig;
import dev.budgetmeter.topology.lifecycle.Authority;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code budget-meter acls}: prints the least-privilege ACLs of a deployment ({@link AccessPlan}), one role after the
 * other, and with {@code --apply} creates them through the admin API (idempotently), optionally setting each role's
 * SCRAM-SHA-512 password from a file per user. Passwords are read from files only and never printed.
 */
@Command(name = "acls", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Prints, and with --apply creates, the least-privilege ACLs of a deployment.",
                "One principal per role: the topology (its internal topics, group and transactional ids by the",
                "application id's prefix; read the input, write its outputs), the workers (write the input topic,",
                "with --tenant one principal per tenant topic; read decisions), the relay (read commands in its",
                "group, write command-results and dead letters) and the auditors (read audit, commands, dead",
                "letters and balances)."})
final class AclsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ClusterOptions cluster;

    @Option(names = "--application-id", paramLabel = "ID", defaultValue = MeteringConfig.APPLICATION_ID_DEFAULT,
            description = "The topology's application id (default: ${DEFAULT-VALUE}).")
    private String applicationId;

    @Option(names = "--authority", paramLabel = "AUTHORITY", defaultValue = "EXTERNAL",
            description = {"The topology's metering.authority: EXTERNAL, LEDGER (it also reads budget",
                    "operations, writes decisions and balances, owns the ledger's topics) or CYCLES (it also reads",
                    "command-results) (default: ${DEFAULT-VALUE})."})
    private Authority authority;

    @Option(names = "--relay-group", paramLabel = "GROUP", defaultValue = RelayConfig.GROUP_ID_DEFAULT,
            description = "The relay's consumer group, relay.group.id (default: ${DEFAULT-VALUE}).")
    private String relayGroup;

    @Option(names = "--tenant", paramLabel = "TENANT[=PRINCIPAL]",
            description = {"Per-tenant input topics (metering.tenant.topics): this tenant's worker principal",
                    "(default User:budget-meter-worker-<tenant>) may write <prefix>stream-events.<tenant> alone.",
                    "Repeatable."})
    private List<String> tenants = new ArrayList<>();

    @Option(names = "--topology-principal", paramLabel = "PRINCIPAL",
            defaultValue = Principals.DEFAULT_PREFIX + "topology", description = "(default: ${DEFAULT-VALUE})")
    private String topologyPrincipal;

    @Option(names = "--worker-principal", paramLabel = "PRINCIPAL",
            defaultValue = Principals.DEFAULT_PREFIX + "worker",
            description = "Writer of the shared input topic, without --tenant (default: ${DEFAULT-VALUE})")
    private String workerPrincipal;

    @Option(names = "--relay-principal", paramLabel = "PRINCIPAL", defaultValue = Principals.DEFAULT_PREFIX + "relay",
            description = "(default: ${DEFAULT-VALUE})")
    private String relayPrincipal;

    @Option(names = "--auditor-principal", paramLabel = "PRINCIPAL",
            defaultValue = Principals.DEFAULT_PREFIX + "auditor", description = "(default: ${DEFAULT-VALUE})")
    private String auditorPrincipal;

    @Option(names = "--apply",
            description = "Create the ACLs on the cluster of --bootstrap-servers, as the --command-config principal.")
    private boolean apply;

    @Option(names = "--scram-passwords", paramLabel = "DIR",
            description = {"With --apply: also set each role's SCRAM-SHA-512 credential, the password read from",
                    "DIR/<user name> (for example Docker secrets)."})
    private Path passwordDirectory;

    @Option(names = "--timeout-seconds", paramLabel = "S", defaultValue = "60",
            description = "Bound on each call to the cluster (default: ${DEFAULT-VALUE}).")
    private int timeoutSeconds;

    @Override
    public Integer call() {
        if (passwordDirectory != null && !apply) {
            throw new ParameterException(spec.commandLine(), "--scram-passwords needs --apply");
        }
        final AccessPlan plan = plan();
        final PrintWriter out = spec.commandLine().getOut();
        AclFormat.lines(plan.roles()).forEach(out::println);
        if (apply) {
            final Map<String, String> passwords = passwords(plan.roles());
            try (Admin admin = Admin.create(cluster.clientProperties())) {
                final AclApplier applier = new AclApplier(admin, Duration.ofSeconds(timeoutSeconds));
                final int users = applier.upsertUsers(passwords);
                final int added = applier.apply(plan.bindings());
                out.println("# applied: " + plan.bindings().size() + " ACLs (" + added + " new), " + users
                        + " SCRAM credentials set");
            }
        }
        out.flush();
        return 0;
    }

    private AccessPlan plan() {
        final Map<String, String> tenantWorkers = new LinkedHashMap<>();
        for (final String tenant : tenants) {
            final int equals = tenant.indexOf('=');
            final String name = equals < 0 ? tenant : tenant.substring(0, equals);
            tenantWorkers.put(name, equals < 0 ? Principals.defaultTenantWorker(name) : tenant.substring(equals + 1));
        }
        try {
            return AccessPlan.of(cluster.topicPrefix(), applicationId, authority, relayGroup,
                    new Principals(topologyPrincipal, workerPrincipal, relayPrincipal, auditorPrincipal,
                            tenantWorkers));
        } catch (final IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    /** Each role's user name and the password in its file; empty without --scram-passwords. */
    private Map<String, String> passwords(final List<RoleAcls> roles) {
        final Map<String, String> passwords = new TreeMap<>();
        if (passwordDirectory == null) {
            return passwords;
        }
        for (final RoleAcls role : roles) {
            final String user = role.principal().substring(role.principal().indexOf(':') + 1);
            final Path file = passwordDirectory.resolve(user);
            try {
                final String password = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (password.isEmpty()) {
                    throw new ParameterException(spec.commandLine(), "the password file " + file + " is empty");
                }
                passwords.put(user, password);
            } catch (final IOException e) {
                throw new ParameterException(spec.commandLine(), "no password for " + role.principal() + " ("
                        + role.role() + "): cannot read " + file + ": " + e.getMessage());
            }
        }
        return passwords;
    }
}
