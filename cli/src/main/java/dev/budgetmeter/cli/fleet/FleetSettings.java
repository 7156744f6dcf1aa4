package dev.budgetmeter.cli.fleet;

import java.time.Duration;
import java.util.Objects;

/**
 * What a simulated worker fleet does. Immutable and valid: the constructor checks every field.
 *
 * @param streams         streams in total, at least 1
 * @param concurrency     streams in flight at once (worker threads), at least 1
 * @param tokens          average answer length in output tokens, at least 2; answers vary from half to one and a
 *                        half times it, and each stream asks for at most twice it (its estimate)
 * @param failedShare     share of streams the provider breaks off, 0-1
 * @param cancelledShare  share of streams the user cancels, 0-1
 * @param abandonedShare  share of streams whose worker dies mid-answer, 0-1
 * @param longShare       share of streams that last 1.3 ttl, long enough for the topology to extend their hold
 * @param tokensPerSecond output tokens per second of an ordinary stream
 * @param ttl             the hold's time to live, given with every Reserve
 * @param seed            seed of every random choice, so a run can be repeated
 */
public record FleetSettings(int streams, int concurrency, long tokens, double failedShare, double cancelledShare,
                            double abandonedShare, double longShare, long tokensPerSecond, Duration ttl, long seed) {

    public FleetSettings {
        atLeast("streams", streams, 1);
        atLeast("concurrency", concurrency, 1);
        atLeast("tokens", tokens, 2);
        atLeast("tokens per second", tokensPerSecond, 1);
        share("failed", failedShare);
        share("cancelled", cancelledShare);
        share("abandoned", abandonedShare);
        share("long", longShare);
        if (failedShare + cancelledShare + abandonedShare + longShare > 1.0 + 1e-9) {
            throw new IllegalArgumentException("the failed, cancelled, abandoned and long shares add up to more than 1");
        }
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.toMillis() < 1_000) {
            throw new IllegalArgumentException("ttl must be at least 1 s (the protocol's minimum), was " + ttl);
        }
    }

    /** How long a long stream lasts: 1.3 ttl, so its hold needs at least one extend. */
    public Duration longStreamDuration() {
        return ttl.multipliedBy(13).dividedBy(10);
    }

    private static void atLeast(final String name, final long value, final long minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException(name + " must be at least " + minimum + ", was " + value);
        }
    }

    private static void share(final String name, final double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException("the " + name + " share must be within 0-1, was " + value);
        }
    }
}
