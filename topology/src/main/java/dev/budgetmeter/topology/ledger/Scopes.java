package dev.budgetmeter.topology.ledger;

import dev.budgetmeter.schemas.Subject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The scopes of a subject as the Cycles protocol derives them: the cumulative paths of the levels given, in the
 * order tenant, workspace, app, workflow, agent, toolset, gaps skipped. {@code {tenant: acme, workspace: prod,
 * agent: bot}} has the scopes {@code tenant:acme}, {@code tenant:acme/workspace:prod} and
 * {@code tenant:acme/workspace:prod/agent:bot}. Pure.
 */
public final class Scopes {

    /** The subject levels, in canonical order. */
    public static final List<String> LEVELS = List.of("tenant", "workspace", "app", "workflow", "agent", "toolset");

    private Scopes() {
    }

    /** The subject's scopes, tenant first. */
    public static List<String> of(final Subject subject) {
        final List<String> scopes = new ArrayList<>(LEVELS.size());
        final String[] values = {subject.getTenant(), subject.getWorkspace(), subject.getApp(),
            subject.getWorkflow(), subject.getAgent(), subject.getToolset()};
        final StringBuilder path = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null || values[i].isEmpty()) {
                continue;
            }
            if (path.length() > 0) {
                path.append('/');
            }
            path.append(LEVELS.get(i)).append(':').append(values[i]);
            scopes.add(path.toString());
        }
        return scopes;
    }

    /**
     * What is wrong with a scope an operator names for {@code tenant}, or empty: it must be a canonical path that
     * starts with {@code tenant:<tenant>}, each later level once, in order, with a non-empty value.
     */
    public static Optional<String> problemWith(final String scope, final String tenant) {
        if (scope == null || !scope.equals("tenant:" + tenant) && !scope.startsWith("tenant:" + tenant + "/")) {
            return Optional.of("scope '" + scope + "' does not start with 'tenant:" + tenant + "'");
        }
        int level = 0;
        for (final String part : scope.split("/", -1)) {
            final int colon = part.indexOf(':');
            final String name = colon < 0 ? part : part.substring(0, colon);
            final int at = LEVELS.indexOf(name);
            if (colon < 0 || at < level || part.length() == colon + 1) {
                return Optional.of("scope '" + scope + "' is not a path of levels " + LEVELS
                        + " in that order, each 'level:value'");
            }
            level = at + 1;
        }
        return Optional.empty();
    }

    /** The tenant a scope belongs to: its first level's value. */
    public static String tenantOf(final String scope) {
        final int slash = scope.indexOf('/');
        return scope.substring("tenant:".length(), slash < 0 ? scope.length() : slash);
    }
}
