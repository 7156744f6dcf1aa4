package dev.budgetmeter.cli;

import dev.budgetmeter.cli.budgets.BudgetClient;
import dev.budgetmeter.cli.budgets.BudgetRequests;
import dev.budgetmeter.schemas.AuditKind;
import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.Balance;
import dev.budgetmeter.schemas.BudgetOperation;
import dev.budgetmeter.schemas.BudgetStatus;
import dev.budgetmeter.schemas.FundingKind;
import dev.budgetmeter.schemas.Unit;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code budget-meter budgets}: an operator's budgets for the ledger inside the topology
 * ({@code metering.authority=LEDGER}). Every change is a budget operation written to the budget-operations topic,
 * applied by the ledger exactly once (its {@code --operation-id} is its idempotency key: give the same one to retry
 * safely), and the command prints what the ledger answered. {@code show} and {@code list} read the balances topic.
 */
@Command(name = "budgets", mixinStandardHelpOptions = true,
        description = "Sets, funds, freezes, unfreezes, closes and shows the budgets of the ledger.",
        subcommands = {BudgetsCommand.Set.class, BudgetsCommand.FundBudget.class, BudgetsCommand.Freeze.class,
                BudgetsCommand.Unfreeze.class, BudgetsCommand.Close.class, BudgetsCommand.Show.class,
                BudgetsCommand.ListBudgets.class})
final class BudgetsCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(),
                "Missing a command: set, fund, freeze, unfreeze, close, show or list");
    }

    /** What every budgets command takes: where the cluster is, and how long to wait. */
    static final class Common {
        @Mixin
        ClusterOptions cluster;

        @Option(names = "--timeout-seconds", paramLabel = "S", defaultValue = "30",
                description = "Bound on every wait (default: ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        BudgetClient client() {
            return new BudgetClient(cluster.bootstrapServers(), cluster.topicRegistry(),
                    Duration.ofSeconds(timeoutSeconds));
        }
    }

    /** What every change takes besides the scope. */
    abstract static class Change implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Common common;

        @Parameters(index = "0", paramLabel = "SCOPE", description = "The budget's scope, starting with its tenant:"
                + " tenant:acme or tenant:acme/workspace:prod/agent:bot.")
        String scope;

        @Option(names = "--unit", paramLabel = "UNIT", defaultValue = "USD_MICROCENTS",
                description = "USD_MICROCENTS, TOKENS, CREDITS or RISK_POINTS (default: ${DEFAULT-VALUE}).")
        String unit;

        @Option(names = "--operation-id", paramLabel = "ID",
                description = "Idempotency key of the operation (default: a new one); the same id is applied once.")
        String operationId;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the audit.")
        String reason;

        /** The operation, built from the arguments (which it checks). */
        abstract BudgetOperation operation(String id, Unit unit, Instant now);

        /** Whether the budget must already exist: every change but set. */
        boolean needsBudget() {
            return true;
        }

        @Override
        public Integer call() {
            final BudgetOperation operation;
            final Unit parsed;
            try {
                parsed = BudgetRequests.unit(unit);
                operation = operation(operationId != null ? operationId : UUID.randomUUID().toString(), parsed,
                        Instant.now());
            } catch (final IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            final BudgetClient client = common.client();
            if (needsBudget() && client.balance(scope, parsed).isEmpty()) {
                throw new ParameterException(spec.commandLine(), "no budget for scope " + scope + " in " + parsed
                        + " (set one first: budget-meter budgets set " + scope + " --allocated N)");
            }
            final AuditRecord answer = client.apply(operation);
            final PrintWriter out = spec.commandLine().getOut();
            out.println("operation " + operation.getOperationId() + ": " + answer.getDetail());
            answer.getBalances().forEach(balance -> out.println("  " + format(balance)));
            out.flush();
            return answer.getKind() == AuditKind.BUDGET_CHANGED || answer.getKind() == AuditKind.DUPLICATE_IGNORED
                    ? 0 : 1;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Creates the budget (ACTIVE) or sets its allocation, overdraft limit and caps.")
    static final class Set extends Change {
        @Option(names = "--allocated", paramLabel = "N", required = true, description = "The allocation, >= 0.")
        long allocated;

        @Option(names = "--overdraft-limit", paramLabel = "N", defaultValue = "0",
                description = "The debt allowed at most, >= 0 (default: ${DEFAULT-VALUE}).")
        long overdraftLimit;

        @Option(names = "--max-tokens", paramLabel = "N",
                description = "Cap every reservation against it at this many output tokens (ALLOW_WITH_CAPS).")
        Long maxTokens;

        @Override
        BudgetOperation operation(final String id, final Unit unit, final Instant now) {
            return BudgetRequests.set(id, scope, unit, allocated, overdraftLimit, maxTokens, reason, now);
        }

        @Override
        boolean needsBudget() {
            return false;
        }
    }

    @Command(name = "fund", mixinStandardHelpOptions = true,
            description = {"Funds the budget: CREDIT and REPAY_DEBT add (repaying debt first), DEBIT takes away,",
                    "RESET sets the allocation, RESET_SPENT starts a new period (allocation and spent)."})
    static final class FundBudget extends Change {
        @Option(names = "--kind", paramLabel = "KIND", required = true,
                description = "CREDIT, DEBIT, RESET, REPAY_DEBT or RESET_SPENT.")
        String kind;

        @Option(names = "--amount", paramLabel = "N", required = true, description = "The amount, >= 0.")
        long amount;

        @Option(names = "--spent", paramLabel = "N", description = "With RESET_SPENT: spent after it (default 0).")
        Long spent;

        @Override
        BudgetOperation operation(final String id, final Unit unit, final Instant now) {
            final FundingKind parsed;
            try {
                parsed = FundingKind.valueOf(kind.toUpperCase(Locale.ROOT));
            } catch (final IllegalArgumentException e) {
                throw new IllegalArgumentException("--kind " + kind + " is not one of CREDIT, DEBIT, RESET,"
                        + " REPAY_DEBT, RESET_SPENT");
            }
            if (parsed == FundingKind.UNKNOWN) {
                throw new IllegalArgumentException("--kind UNKNOWN is not a funding kind");
            }
            return BudgetRequests.fund(id, scope, unit, parsed, amount, spent, reason, now);
        }
    }

    @Command(name = "freeze", mixinStandardHelpOptions = true,
            description = "Freezes the budget: new reservations are refused BUDGET_FROZEN, holds already taken settle.")
    static final class Freeze extends Change {
        @Override
        BudgetOperation operation(final String id, final Unit unit, final Instant now) {
            return BudgetRequests.status(id, scope, unit, BudgetStatus.FROZEN, reason, now);
        }
    }

    @Command(name = "unfreeze", mixinStandardHelpOptions = true, description = "Makes a frozen budget ACTIVE again.")
    static final class Unfreeze extends Change {
        @Override
        BudgetOperation operation(final String id, final Unit unit, final Instant now) {
            return BudgetRequests.status(id, scope, unit, BudgetStatus.ACTIVE, reason, now);
        }
    }

    @Command(name = "close", mixinStandardHelpOptions = true,
            description = "Closes the budget for good: new reservations are refused BUDGET_CLOSED.")
    static final class Close extends Change {
        @Override
        BudgetOperation operation(final String id, final Unit unit, final Instant now) {
            return BudgetRequests.status(id, scope, unit, BudgetStatus.CLOSED, reason, now);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Prints the budgets of one scope.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Common common;

        @Parameters(index = "0", paramLabel = "SCOPE", description = "The scope.")
        String scope;

        @Override
        public Integer call() {
            final int shown = print(spec, common, balance -> balance.getScope().equals(scope));
            if (shown == 0) {
                spec.commandLine().getOut().println("no budget for scope " + scope);
                spec.commandLine().getOut().flush();
            }
            return shown == 0 ? 1 : 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Prints every budget, or a tenant's.")
    static final class ListBudgets implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Common common;

        @Option(names = "--tenant", paramLabel = "TENANT", description = "Only this tenant's budgets.")
        String tenant;

        @Override
        public Integer call() {
            print(spec, common, balance -> tenant == null
                    || BudgetRequests.tenantOf(balance.getScope()).equals(tenant));
            return 0;
        }
    }

    /** Prints the latest balance of every budget {@code shown} accepts, sorted by scope and unit; returns how many. */
    private static int print(final CommandSpec spec, final Common common, final Predicate<Balance> shown) {
        final List<Balance> budgets = common.client().balances().values().stream().filter(shown)
                .sorted(Comparator.comparing(Balance::getScope).thenComparing(Balance::getUnit)).toList();
        final PrintWriter out = spec.commandLine().getOut();
        budgets.forEach(balance -> out.println(format(balance)));
        out.flush();
        return budgets.size();
    }

    /** One budget on one line: scope, unit, status and its numbers. */
    static String format(final Balance balance) {
        return String.format(Locale.ROOT, "%s %s %s: allocated %,d, reserved %,d, spent %,d, debt %,d, remaining %,d"
                        + "%s%s", balance.getScope(), balance.getUnit(), balance.getStatus(), balance.getAllocated(),
                balance.getReserved(), balance.getSpent(), balance.getDebt(), balance.getRemaining(),
                balance.getOverdraftLimit() > 0 ? String.format(Locale.ROOT, ", overdraft limit %,d",
                        balance.getOverdraftLimit()) : "",
                balance.getIsOverLimit() ? ", OVER LIMIT" : "");
    }
}
