package dev.budgetmeter.cli;

import dev.budgetmeter.relay.RelayCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code budget-meter} executable. {@link #main} only trusts the project's Avro package, parses the arguments and
 * exits with the subcommand's code; each subcommand is its own class.
 */
@Command(name = "budget-meter", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Budget reservations for streaming LLM calls, on Kafka.",
        subcommands = {DemoCommand.class, RunCommand.class, TopicsCommand.class, AuditCommand.class,
                SimulateCommand.class, BudgetsCommand.class, StackCommand.class, AclsCommand.class,
                RelayCommand.class,
                CommandLine.HelpCommand.class})
public final class BudgetMeterCli implements Runnable {

    /** Avro reads this once, when its first class initializes, to decide which generated classes it may create. */
    static final String AVRO_TRUSTED_PACKAGES = "org.apache.avro.SERIALIZABLE_PACKAGES";

    @Spec
    private CommandSpec spec;

    @Option(names = "--stacktrace", description = "Print the full stack trace when a command fails.")
    private boolean stacktrace;

    public static void main(final String[] args) {
        if (System.getProperty(AVRO_TRUSTED_PACKAGES) == null) {
            System.setProperty(AVRO_TRUSTED_PACKAGES, "dev.budgetmeter");
        }
        System.exit(commandLine().execute(args));
    }

    /** The parser with every subcommand, for {@link #main} and for tests that run a command in this JVM. */
    public static CommandLine commandLine() {
        return new CommandLine(new BudgetMeterCli()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(BudgetMeterCli::reportFailure);
    }

    /** A failed command prints its cause chain in one line (and the stack trace with --stacktrace), exit code 1. */
    private static int reportFailure(final Exception failure, final CommandLine command,
                                     final CommandLine.ParseResult parsed) {
        final StringBuilder message = new StringBuilder(command.getCommandName()).append(" failed: ").append(failure);
        for (Throwable cause = failure.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            message.append("\n  caused by: ").append(cause);
        }
        command.getErr().println(command.getColorScheme().errorText(message.toString()));
        if (parsed.hasMatchedOption("--stacktrace")) {
            failure.printStackTrace(command.getErr());
        } else {
            command.getErr().println("(run with --stacktrace for the full trace)");
        }
        command.getErr().flush();
        return 1;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing a command");
    }
}
