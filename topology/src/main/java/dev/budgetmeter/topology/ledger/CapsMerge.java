package dev.budgetmeter.topology.ledger;

import dev.budgetmeter.schemas.Caps;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The caps a reservation gets from all its budgets: the tightest of each (the smallest token and step limits, the
 * longest cooldown, only the tools every allowlist allows, every tool any denylist denies). Pure.
 */
final class CapsMerge {

    private CapsMerge() {
    }

    /** The merged caps, or null when no budget has any. */
    static Caps of(final List<Caps> all) {
        Caps merged = null;
        for (final Caps caps : all) {
            if (caps == null) {
                continue;
            }
            merged = merged == null ? Caps.newBuilder(caps).build() : merge(merged, caps);
        }
        return merged;
    }

    private static Caps merge(final Caps a, final Caps b) {
        return Caps.newBuilder()
                .setMaxTokens(min(a.getMaxTokens(), b.getMaxTokens()))
                .setMaxStepsRemaining(a.getMaxStepsRemaining() == null ? b.getMaxStepsRemaining()
                        : b.getMaxStepsRemaining() == null ? a.getMaxStepsRemaining()
                        : Integer.valueOf(Math.min(a.getMaxStepsRemaining(), b.getMaxStepsRemaining())))
                .setCooldownMs(a.getCooldownMs() == null ? b.getCooldownMs() : b.getCooldownMs() == null
                        ? a.getCooldownMs() : Long.valueOf(Math.max(a.getCooldownMs(), b.getCooldownMs())))
                .setToolAllowlist(intersect(a.getToolAllowlist(), b.getToolAllowlist()))
                .setToolDenylist(union(a.getToolDenylist(), b.getToolDenylist()))
                .build();
    }

    private static Long min(final Long a, final Long b) {
        return a == null ? b : b == null ? a : Long.valueOf(Math.min(a, b));
    }

    private static List<String> intersect(final List<String> a, final List<String> b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        final List<String> both = new ArrayList<>(a);
        both.retainAll(b);
        return both;
    }

    private static List<String> union(final List<String> a, final List<String> b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        final Set<String> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return new ArrayList<>(all);
    }
}
