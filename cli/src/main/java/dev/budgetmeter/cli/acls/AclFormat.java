package dev.budgetmeter.cli.acls;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.acl.AclBinding;

/**
 * The plan as text for people and scripts: per role a comment line, then one line per ACL with the principal, the
 * permission, the operation and the resource (type, pattern type, name), in the plan's order.
 */
public final class AclFormat {

    private AclFormat() {
    }

    /** The lines of every role. */
    public static List<String> lines(final List<RoleAcls> roles) {
        final List<String> lines = new ArrayList<>();
        for (final RoleAcls role : roles) {
            lines.add("# " + role.role() + " (" + role.principal() + "): " + role.bindings().size() + " ACLs");
            role.bindings().forEach(binding -> lines.add(line(binding)));
        }
        return lines;
    }

    /** {@code User:x ALLOW WRITE TOPIC LITERAL budget.stream-events}. */
    public static String line(final AclBinding binding) {
        return String.join(" ", binding.entry().principal(), name(binding.entry().permissionType()),
                name(binding.entry().operation()), name(binding.pattern().resourceType()),
                name(binding.pattern().patternType()), binding.pattern().name());
    }

    private static String name(final Enum<?> value) {
        return value.name().toUpperCase(Locale.ROOT);
    }
}
