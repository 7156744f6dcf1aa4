package dev.budgetmeter.cli;

import dev.budgetmeter.cli.demo.FleetRun;
import dev.budgetmeter.cli.demo.ProgressDisplay;
import dev.budgetmeter.cli.demo.SummaryTable;
import dev.budgetmeter.cli.fleet.FleetSettings;
import dev.budgetmeter.producer.DecisionMode;
import dev.budgetmeter.topology.lifecycle.Authority;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code budget-meter simulate}: only the demo's worker fleet, against a cluster where the topology already runs
 * (the demo worker of docker-compose). Checks its own reservations with the oracle and exits 1 when one was not
 * settled exactly once or charged other than its worker priced.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs only the simulated worker fleet, against a running topology.",
                "Streams simulated LLM calls to a cluster where `budget-meter run` is running, then checks their",
                "reservations in the commands and audit topics."})
final class SimulateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private FleetOptions fleet;

    @Mixin
    private ClusterOptions cluster;

    @Option(names = "--authority", paramLabel = "EXTERNAL|LEDGER", defaultValue = "EXTERNAL",
            description = {"Who decides reservations, as the running topology's metering.authority says",
                    "(default: ${DEFAULT-VALUE}). With LEDGER every worker waits for the ledger's decision; the",
                    "budgets are the deployment's own."})
    private Authority authority;

    @Override
    public Integer call() throws InterruptedException {
        final FleetSettings settings = fleet.settings();
        final PrintWriter out = spec.commandLine().getOut();
        final FleetRun.Target target = new FleetRun.Target(cluster.clientProperties(), cluster.schemaRegistryUrl(),
                cluster.topicRegistry(), authority == Authority.LEDGER ? DecisionMode.WAIT : DecisionMode.EXTERNAL,
                false);
        final FleetRun.Outcome outcome;
        final ProgressDisplay progress = ProgressDisplay.forConsole(out);
        try (progress) {
            outcome = FleetRun.execute(target, settings, fleet.settleTimeout(), progress, System::nanoTime);
        }
        SummaryTable.lines(String.format(Locale.ROOT, "Simulated fleet against %s (seed %d, %.1f s)",
                target.bootstrapServers(), settings.seed(), progress.elapsedSeconds()), outcome).forEach(out::println);
        out.flush();
        return outcome.verdict().passed() ? 0 : 1;
    }
}
