package dev.budgetmeter.cli.acls;

import static dev.budgetmeter.cli.acls.RoleAcls.allow;
import static org.apache.kafka.common.acl.AclOperation.CREATE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;
import static org.apache.kafka.common.resource.PatternType.LITERAL;
import static org.apache.kafka.common.resource.PatternType.PREFIXED;
import static org.apache.kafka.common.resource.ResourceType.GROUP;
import static org.apache.kafka.common.resource.ResourceType.TOPIC;
import static org.apache.kafka.common.resource.ResourceType.TRANSACTIONAL_ID;

import dev.budgetmeter.topics.TenantTopics;
import dev.budgetmeter.topics.TopicDefinition;
import dev.budgetmeter.topics.Topics;
import dev.budgetmeter.topology.lifecycle.Authority;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;

/**
 * Least privilege for one deployment: the ACLs each role needs and nothing more, derived from the topic registry
 * so that they follow the topic names. No role may alter or delete a topic, touch another's group, or write what it
 * only reads; only the topology creates topics, and only its own internal ones.
 *
 * <ul>
 *   <li><b>topology</b> (Kafka Streams under exactly-once): its internal topics (prefix {@code <application id>-}:
 *       create, read, write, describe and describe their configs), its consumer group ({@code <application id>}),
 *       its transactional ids (prefix {@code <application id>-}: write, describe); read the input (the shared
 *       topic, or every tenant topic by prefix) and write commands, audit and dead letters; with the ledger also read
 *       the budget operations, write decisions and balances, and read and write its own ledger requests and
 *       replies; with a Cycles server also read the relay's command results.</li>
 *   <li><b>worker</b>: write the input topic (with tenant topics: one principal per tenant, its own topic alone) and
 *       read decisions, by assignment (no group).</li>
 *   <li><b>relay</b>: read commands in its own consumer group ({@code relay.group.id}), write
 *       {@link Topics#COMMAND_RESULTS} and, for the commands the authority refused, {@link Topics#DEAD_LETTERS}
 *       (an idempotent producer, no transactions).</li>
 *   <li><b>auditor</b>: read the audit, commands, dead-letter and balances topics, by assignment (no group), which
 *       is what {@code budget-meter audit} reads.</li>
 * </ul>
 * Immutable.
 */
public final class AccessPlan {

    private final String prefix;
    private final String applicationId;
    private final Authority authority;
    private final String relayGroup;
    private final Principals principals;

    private AccessPlan(final String prefix, final String applicationId, final Authority authority,
                       final String relayGroup, final Principals principals) {
        this.prefix = prefix;
        this.applicationId = applicationId;
        this.authority = authority;
        this.relayGroup = relayGroup;
        this.principals = principals;
    }

    /**
     * @param prefix        the deployment's topic prefix
     * @param applicationId the topology's application id
     * @param authority     the topology's {@code metering.authority}: the ledger reads and writes its own topics, a
     *                      Cycles server's answers come back on the command-results topic
     * @param relayGroup    the relay's consumer group ({@code relay.group.id})
     */
    public static AccessPlan of(final String prefix, final String applicationId, final Authority authority,
                                final String relayGroup, final Principals principals) {
        if (applicationId == null || applicationId.isBlank()) {
            throw new IllegalArgumentException("the application id must not be blank");
        }
        if (relayGroup == null || relayGroup.isBlank()) {
            throw new IllegalArgumentException("the relay's group id must not be blank");
        }
        return new AccessPlan(prefix, applicationId, authority, relayGroup, principals);
    }

    /** Every role's ACLs: topology, workers, relay, auditor. */
    public List<RoleAcls> roles() {
        final List<RoleAcls> roles = new ArrayList<>();
        roles.add(new RoleAcls("topology", principals.topology(), topology()));
        if (principals.tenantTopics()) {
            principals.tenantWorkers().forEach((tenant, principal) -> roles.add(new RoleAcls("worker of " + tenant,
                    principal, worker(principal, TenantTopics.name(prefix, tenant)))));
        } else {
            roles.add(new RoleAcls("worker", principals.worker(), worker(principals.worker(),
                    Topics.STREAM_EVENTS.name(prefix))));
        }
        roles.add(new RoleAcls("relay", principals.relay(), relay()));
        roles.add(new RoleAcls("auditor", principals.auditor(), auditor()));
        return roles;
    }

    /** Every ACL of every role. */
    public List<AclBinding> bindings() {
        return roles().stream().flatMap(role -> role.bindings().stream()).toList();
    }

    private List<AclBinding> topology() {
        final String principal = principals.topology();
        final String internal = applicationId + "-";
        final List<AclBinding> acls = new ArrayList<>();
        for (final AclOperation operation : List.of(CREATE, READ, WRITE, DESCRIBE, DESCRIBE_CONFIGS)) {
            acls.add(allow(principal, TOPIC, internal, PREFIXED, operation));
        }
        acls.add(allow(principal, GROUP, applicationId, LITERAL, READ));
        acls.add(allow(principal, TRANSACTIONAL_ID, internal, PREFIXED, WRITE));
        acls.add(allow(principal, TRANSACTIONAL_ID, internal, PREFIXED, DESCRIBE));
        if (principals.tenantTopics()) {
            acls.add(allow(principal, TOPIC, TenantTopics.base(prefix), PREFIXED, READ));
        } else {
            acls.add(topic(principal, Topics.STREAM_EVENTS, READ));
        }
        acls.add(topic(principal, Topics.COMMANDS, WRITE));
        acls.add(topic(principal, Topics.AUDIT, WRITE));
        acls.add(topic(principal, Topics.DEAD_LETTERS, WRITE));
        if (authority == Authority.CYCLES) {
            acls.add(topic(principal, Topics.COMMAND_RESULTS, READ));
        }
        if (authority == Authority.LEDGER) {
            acls.add(topic(principal, Topics.BUDGET_OPERATIONS, READ));
            acls.add(topic(principal, Topics.DECISIONS, WRITE));
            acls.add(topic(principal, Topics.BALANCES, WRITE));
            for (final TopicDefinition<?, ?> own : List.of(Topics.LEDGER_REQUESTS, Topics.LEDGER_REPLIES)) {
                acls.add(topic(principal, own, READ));
                acls.add(topic(principal, own, WRITE));
            }
        }
        return acls;
    }

    private List<AclBinding> worker(final String principal, final String input) {
        return List.of(allow(principal, TOPIC, input, LITERAL, WRITE), topic(principal, Topics.DECISIONS, READ));
    }

    private List<AclBinding> relay() {
        final String principal = principals.relay();
        return List.of(topic(principal, Topics.COMMANDS, READ),
                allow(principal, GROUP, relayGroup, LITERAL, READ),
                topic(principal, Topics.COMMAND_RESULTS, WRITE), topic(principal, Topics.DEAD_LETTERS, WRITE));
    }

    private List<AclBinding> auditor() {
        final String principal = principals.auditor();
        return List.of(topic(principal, Topics.AUDIT, READ), topic(principal, Topics.COMMANDS, READ),
                topic(principal, Topics.DEAD_LETTERS, READ), topic(principal, Topics.BALANCES, READ));
    }

    private AclBinding topic(final String principal, final TopicDefinition<?, ?> definition,
                             final AclOperation operation) {
        return allow(principal, TOPIC, definition.name(prefix), LITERAL, operation);
    }
}
