package dev.budgetmeter.cli.budgets;

import dev.budgetmeter.schemas.BudgetOperation;
import dev.budgetmeter.schemas.BudgetStatus;
import dev.budgetmeter.schemas.Caps;
import dev.budgetmeter.schemas.ChangeStatus;
import dev.budgetmeter.schemas.Fund;
import dev.budgetmeter.schemas.FundingKind;
import dev.budgetmeter.schemas.SetBudget;
import dev.budgetmeter.schemas.Unit;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;

/**
 * Budget operations as an operator asks for them on the command line, checked before anything is sent: a scope that
 * starts with its tenant ({@code tenant:<t>[/<level>:<value>...]}), a known unit, amounts of at least 0. Each check
 * fails with an {@link IllegalArgumentException} that says what to give instead. The ledger checks again, and
 * audits what it refuses.
 */
public final class BudgetRequests {

    private BudgetRequests() {
    }

    /** The tenant of a scope, which must start with {@code tenant:}. */
    public static String tenantOf(final String scope) {
        if (scope == null || !scope.startsWith("tenant:") || scope.length() == "tenant:".length()
                || scope.charAt("tenant:".length()) == '/') {
            throw new IllegalArgumentException("scope '" + scope + "' must start with its tenant, for example"
                    + " 'tenant:acme' or 'tenant:acme/workspace:prod'");
        }
        final int slash = scope.indexOf('/');
        return scope.substring("tenant:".length(), slash < 0 ? scope.length() : slash);
    }

    /** A unit by name, case-insensitive. */
    public static Unit unit(final String name) {
        try {
            final Unit unit = Unit.valueOf(name.toUpperCase(Locale.ROOT));
            return unit;
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unit '" + name + "' is not one of " + Arrays.toString(Unit.values()));
        }
    }

    public static BudgetOperation set(final String operationId, final String scope, final Unit unit,
                                      final long allocated, final long overdraftLimit, final Long maxTokens,
                                      final String reason, final Instant now) {
        atLeastZero("--allocated", allocated);
        atLeastZero("--overdraft-limit", overdraftLimit);
        if (maxTokens != null) {
            atLeastZero("--max-tokens", maxTokens);
        }
        final Caps caps = maxTokens == null ? null : Caps.newBuilder().setMaxTokens(maxTokens).build();
        return operation(operationId, scope, unit, reason, now, new SetBudget(allocated, overdraftLimit, caps));
    }

    public static BudgetOperation fund(final String operationId, final String scope, final Unit unit,
                                       final FundingKind kind, final long amount, final Long spent,
                                       final String reason, final Instant now) {
        atLeastZero("--amount", amount);
        if (spent != null) {
            atLeastZero("--spent", spent);
            if (kind != FundingKind.RESET_SPENT) {
                throw new IllegalArgumentException("--spent goes with RESET_SPENT only");
            }
        }
        return operation(operationId, scope, unit, reason, now, new Fund(kind, amount, spent));
    }

    public static BudgetOperation status(final String operationId, final String scope, final Unit unit,
                                         final BudgetStatus status, final String reason, final Instant now) {
        return operation(operationId, scope, unit, reason, now, new ChangeStatus(status));
    }

    private static BudgetOperation operation(final String operationId, final String scope, final Unit unit,
                                             final String reason, final Instant now, final Object body) {
        return BudgetOperation.newBuilder().setOperationId(operationId).setTenant(tenantOf(scope)).setScope(scope)
                .setUnit(unit).setIssuedAt(now).setIssuedBy(System.getProperty("user.name")).setReason(reason)
                .setBody(body).build();
    }

    private static void atLeastZero(final String flag, final long value) {
        if (value < 0) {
            throw new IllegalArgumentException(flag + " is " + value + ": amounts are at least 0");
        }
    }
}
