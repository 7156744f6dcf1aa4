package dev.budgetmeter.reliability.workload;

import dev.budgetmeter.schemas.fixture.StreamEventFixture;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * A reproducible set of simulated streams with known usage and a known planned terminal each, shared by every
 * scenario. Short streams start in staggered groups, one group per tick, and run one to four chunks; long streams
 * start at tick 0 and chunk once per tick long enough to need extends. Immutable.
 *
 * <p>The mix of short streams (by index modulo 20): 9 completed (a third of them report provider totals), 3 failed
 * after output, 1 failed before any output, 2 cancelled after output, 1 cancelled before any, 3 abandoned after
 * output, 1 abandoned with nothing but its Reserve.
 */
public final class Workload {

    /** Worst case held by every stream: $0.50, far above any planned usage, so no commit exceeds it. */
    public static final long ESTIMATE = 50_000_000;

    private final List<StreamPlan> plans;

    private Workload(final List<StreamPlan> plans) {
        this.plans = List.copyOf(plans);
    }

    /**
     * @param tag          prefix of every reservation id, so that scenarios never share one
     * @param shortStreams short streams, their starts spread over {@code startGroups} ticks
     * @param startGroups  ticks over which short streams start (1: all at tick 0)
     * @param longStreams  long streams, {@code longChunks} chunks each, one per tick
     * @param longChunks   chunks of each long stream
     * @param ttlMs        ttl of every hold
     * @param seed         seed of token counts and id suffixes
     */
    public static Workload mixed(final String tag, final int shortStreams, final int startGroups,
                                 final int longStreams, final int longChunks, final long ttlMs, final long seed) {
        final Random random = new Random(seed);
        final List<StreamPlan> plans = new ArrayList<>();
        for (int i = 0; i < longStreams; i++) {
            final List<Tokens> chunks = new ArrayList<>();
            for (int c = 0; c < longChunks; c++) {
                chunks.add(new Tokens(c == 0 ? 40 : 0, 1 + random.nextInt(8)));
            }
            plans.add(new StreamPlan(id(tag, "long", i, random), Ending.COMPLETED, 0, chunks, Optional.empty(),
                    ESTIMATE, ttlMs, StreamEventFixture.GRACE_PERIOD_MS));
        }
        for (int i = 0; i < shortStreams; i++) {
            plans.add(shortStream(id(tag, "s", i, random), i % 20, i % startGroups, ttlMs, random));
        }
        return new Workload(plans);
    }

    private static StreamPlan shortStream(final String id, final int kind, final int startTick, final long ttlMs,
                                          final Random random) {
        final Ending ending;
        final boolean output;
        if (kind < 9) {
            ending = Ending.COMPLETED;
            output = true;
        } else if (kind < 13) {
            ending = Ending.FAILED;
            output = kind < 12;
        } else if (kind < 16) {
            ending = Ending.CANCELLED;
            output = kind < 15;
        } else {
            ending = Ending.ABANDONED;
            output = kind < 19;
        }
        final List<Tokens> chunks = new ArrayList<>();
        final int count = output ? 1 + random.nextInt(4) : 0;
        for (int c = 0; c < count; c++) {
            chunks.add(new Tokens(c == 0 ? 10 + random.nextInt(90) : 0, 1 + random.nextInt(30)));
        }
        final Tokens streamed = chunks.stream().reduce(Tokens.NONE, Tokens::plus);
        // A third of the completed streams report provider totals above the chunk sums: the totals must win.
        final Optional<Tokens> usage = ending == Ending.COMPLETED && kind % 3 == 0
                ? Optional.of(streamed.plus(new Tokens(5, 2))) : Optional.empty();
        return new StreamPlan(id, ending, startTick, chunks, usage, ESTIMATE, ttlMs,
                StreamEventFixture.GRACE_PERIOD_MS);
    }

    /**
     * Streams whose worker goes silent after its Reserve and one chunk of output (at the next tick): no End, so only
     * the idle timeout settles them, with a Commit of that chunk.
     *
     * @param startTick the tick of every Reserve
     */
    public static Workload idle(final String tag, final int streams, final int startTick, final long ttlMs,
                                final long seed) {
        final Random random = new Random(seed);
        final List<StreamPlan> plans = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            final Tokens chunk = new Tokens(10 + random.nextInt(90), 1 + random.nextInt(30));
            plans.add(new StreamPlan(id(tag, "idle", i, random), Ending.ABANDONED, startTick, List.of(chunk),
                    Optional.empty(), ESTIMATE, ttlMs, StreamEventFixture.GRACE_PERIOD_MS));
        }
        return new Workload(plans);
    }

    /** The streams of this workload and then those of {@code other}, played together. */
    public Workload and(final Workload other) {
        final List<StreamPlan> both = new ArrayList<>(plans);
        both.addAll(other.plans);
        return new Workload(both);
    }

    /** This workload with every hold's grace period set to {@code graceMs}. */
    public Workload withGracePeriod(final long graceMs) {
        return new Workload(plans.stream().map(plan -> plan.withGracePeriod(graceMs)).toList());
    }

    private static String id(final String tag, final String kind, final int index, final Random random) {
        final byte[] suffix = new byte[4];
        random.nextBytes(suffix);
        return tag + "-" + kind + index + "-" + HexFormat.of().formatHex(suffix);
    }

    public List<StreamPlan> plans() {
        return plans;
    }

    /** The tick of the last event of any stream. */
    public int lastTick() {
        return plans.stream().mapToInt(StreamPlan::lastTick).max().orElse(0);
    }

    /** The plans that end with an End event (their terminal does not depend on a timer). */
    public List<StreamPlan> ended() {
        return plans.stream().filter(plan -> plan.ending() != Ending.ABANDONED).toList();
    }

    public int size() {
        return plans.size();
    }
}
