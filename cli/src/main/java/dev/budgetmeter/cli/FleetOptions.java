package dev.budgetmeter.cli;

import dev.budgetmeter.cli.fleet.FleetSettings;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The simulated worker fleet's options, shared by {@code demo} and {@code simulate}. */
final class FleetOptions {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(names = "--streams", paramLabel = "N", defaultValue = "2000",
            description = "Streams (LLM calls) in total (default: ${DEFAULT-VALUE}).")
    private int streams;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "32",
            description = "Streams in flight at once (default: ${DEFAULT-VALUE}).")
    private int concurrency;

    @Option(names = "--tokens", paramLabel = "N", defaultValue = "200",
            description = "Average output tokens per stream; each reserves twice that (default: ${DEFAULT-VALUE}).")
    private long tokens;

    @Option(names = "--tokens-per-second", paramLabel = "N", defaultValue = "500",
            description = "Output tokens per second of a stream (default: ${DEFAULT-VALUE}).")
    private long tokensPerSecond;

    @Option(names = "--failed", paramLabel = "SHARE", defaultValue = "0.10",
            description = "Share of streams the provider breaks off (default: ${DEFAULT-VALUE}).")
    private double failed;

    @Option(names = "--cancelled", paramLabel = "SHARE", defaultValue = "0.05",
            description = "Share of streams the user cancels (default: ${DEFAULT-VALUE}).")
    private double cancelled;

    @Option(names = "--abandoned", paramLabel = "SHARE", defaultValue = "0.05",
            description = "Share of streams whose worker dies mid-answer (default: ${DEFAULT-VALUE}).")
    private double abandoned;

    @Option(names = "--long", paramLabel = "SHARE", defaultValue = "0.005",
            description = "Share of streams lasting 1.3 ttl, so their hold is extended (default: ${DEFAULT-VALUE}).")
    private double longShare;

    @Option(names = "--ttl-ms", paramLabel = "MS", defaultValue = "10000",
            description = "Time to live of each hold (default: ${DEFAULT-VALUE}).")
    private long ttlMs;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the random choices (default: random).")
    private Long seed;

    @Option(names = "--settle-timeout-seconds", paramLabel = "S", defaultValue = "90",
            description = "Bound on waiting for the last settlements (default: ${DEFAULT-VALUE}).")
    private int settleTimeoutSeconds;

    /** The settings, validated; an invalid combination is a usage error. */
    FleetSettings settings() {
        try {
            return new FleetSettings(streams, concurrency, tokens, failed, cancelled, abandoned, longShare,
                    tokensPerSecond, Duration.ofMillis(ttlMs),
                    seed != null ? seed : ThreadLocalRandom.current().nextLong(1_000_000));
        } catch (final IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    Duration settleTimeout() {
        return Duration.ofSeconds(settleTimeoutSeconds);
    }
}
