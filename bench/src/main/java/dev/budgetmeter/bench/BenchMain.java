package dev.budgetmeter.bench;

import dev.budgetmeter.bench.report.BenchResults;
import dev.budgetmeter.bench.report.Progress;
import dev.budgetmeter.bench.scenario.Profile;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The one entry point of the benchmarks:
 *
 * <pre>
 * mvn -B -q -pl bench -am package -DskipTests
 * java -jar bench/target/budget-meter-bench.jar --quick
 * </pre>
 *
 * Starts a local stack (in-process KRaft broker, Apicurio registry child JVM), runs the selected scenarios with live
 * progress on standard error, and writes {@code results.json}, {@code results.md} and {@code chart.png} into the
 * output directory. Exit code 0 when every scenario completed, 1 when one failed, 2 on bad arguments. It asserts no
 * figure: the verdicts against the goals are in the reports.
 */
@Command(name = "budget-meter-bench", mixinStandardHelpOptions = true,
        description = "Benchmarks the metering pipeline on a local stack and writes results.json, results.md and"
                + " chart.png.")
public final class BenchMain implements Callable<Integer> {

    /** Where results go unless {@code --out} says otherwise (ignored by git). */
    public static final String DEFAULT_OUT = "bench/results/latest";
    private static final String AVRO_TRUSTED_PACKAGES = "org.apache.avro.SERIALIZABLE_PACKAGES";
    private static final String LOG_CONFIG = "log4j2.configurationFile";

    @Option(names = "--quick", description = "Under two minutes: short steps, scale up to 100k reservations.")
    private boolean quick;

    @Option(names = "--smoke", description = "Seconds per scenario, tiny sizes: proves the run completes; no valid"
            + " figure.")
    private boolean smoke;

    @Option(names = "--out", description = "Results directory (default: ${DEFAULT-VALUE}).",
            defaultValue = DEFAULT_OUT)
    private Path out;

    @Option(names = "--only", split = ",", paramLabel = "SCENARIO",
            description = "Scenarios to run, comma-separated: throughput, latency, timeout, ledger, scale,"
                    + " producer (default: all).", converter = ScenarioConverter.class)
    private List<Scenario> only;

    private final List<String> arguments;

    private BenchMain(final List<String> arguments) {
        this.arguments = List.copyOf(arguments);
    }

    /** Runs and exits with {@link #run}'s code. */
    public static void main(final String[] args) {
        useBenchLogging();
        System.exit(run(args));
    }

    /**
     * Parses {@code args}, runs the benchmark and returns the exit code, without exiting (for tests). Trusts this
     * project's Avro packages unless the JVM was told otherwise; Avro reads that once, so it must be first.
     */
    public static int run(final String... args) {
        if (System.getProperty(AVRO_TRUSTED_PACKAGES) == null) {
            System.setProperty(AVRO_TRUSTED_PACKAGES, "dev.budgetmeter");
        }
        System.setProperty("java.awt.headless", "true");
        return new CommandLine(new BenchMain(List.of(args))).execute(args);
    }

    @Override
    public Integer call() {
        if (quick && smoke) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--quick and --smoke exclude each other");
        }
        final Profile profile = smoke ? Profile.smoke() : quick ? Profile.quick() : Profile.full();
        final Set<Scenario> scenarios = only == null || only.isEmpty() ? EnumSet.allOf(Scenario.class)
                : EnumSet.copyOf(only);
        final BenchResults results = new BenchRun(profile, scenarios, out, command(), Progress.toConsole(),
                Clock.systemUTC()).run();
        return results.allCompleted() ? 0 : 1;
    }

    private String command() {
        return "java -jar bench/target/budget-meter-bench.jar" + (arguments.isEmpty() ? ""
                : " " + String.join(" ", arguments));
    }

    /**
     * Kafka's jars bring their own logging configurations; the bench's keeps the console for the progress line.
     * Must run before the first logger is created.
     */
    private static void useBenchLogging() {
        if (System.getProperty(LOG_CONFIG) == null) {
            System.setProperty(LOG_CONFIG, "bench-log4j2.xml");
        }
    }

    /** Converts {@code --only} values. */
    static final class ScenarioConverter implements CommandLine.ITypeConverter<Scenario> {
        @Override
        public Scenario convert(final String value) {
            return Scenario.byId(value);
        }
    }
}
