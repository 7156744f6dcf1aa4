package dev.budgetmeter.cli.acls;

import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACLs of one role: every one an ALLOW from any host for the role's principal. Immutable.
 *
 * @param role      what the principal does, for people: {@code topology}, {@code worker}, {@code worker acme}, ...
 * @param principal {@code User:<name>}
 * @param bindings  what it may do, nothing more
 */
public record RoleAcls(String role, String principal, List<AclBinding> bindings) {

    public RoleAcls {
        bindings = List.copyOf(bindings);
    }

    /** An ALLOW of {@code operation} on a resource for {@code principal}, from any host. */
    static AclBinding allow(final String principal, final ResourceType type, final String name,
                            final PatternType pattern, final AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }
}
