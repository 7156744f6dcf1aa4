package dev.budgetmeter.cli.fleet;

import dev.budgetmeter.producer.Pricing;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Plans a fleet's streams from its settings, deterministically for a seed: the exact number of failed, cancelled,
 * abandoned and long streams the shares give, in an order shuffled by the seed. Long streams come first, so that
 * they run beside the others instead of stretching the end of the run.
 */
public final class FleetPlanner {

    /** Share of completed streams that run to their max tokens, so that input tokens take them above the estimate. */
    static final double OVERAGE_SHARE = 0.02;
    /**
     * Share of failed, cancelled and abandoned streams that end before their first token (a provider that refuses
     * the call, a user who cancels while waiting, a worker that dies at once): with nothing billable they are
     * released, the others are committed as observed.
     */
    static final double BEFORE_FIRST_TOKEN_SHARE = 0.3;
    private static final long MIN_TICK_MILLIS = 20;
    private static final int MIN_INPUT_TOKENS = 20;
    private static final int MAX_INPUT_TOKENS = 200;
    /** The streaming guide's gpt-4o-like prices, in USD microcents per input and output token. */
    public static final Pricing PRICING = Pricing.perToken(250, 1_000);
    /** The tenants the streams are billed to, spread by reservation id. */
    public static final List<String> TENANTS = List.of("acme", "globex", "initech");
    /** The workspace of every stream's subject, under its tenant; its agent is {@code streaming-agent}. */
    public static final String WORKSPACE = "demo";

    private FleetPlanner() {
    }

    /** The streams of a run; every reservation id is {@code <runId>-<n>}. */
    public static List<StreamPlan> plan(final FleetSettings settings, final String runId) {
        final Random random = new Random(settings.seed());
        final int longStreams = (int) Math.round(settings.streams() * settings.longShare());
        final List<Ending> endings = endings(settings, settings.streams() - longStreams, random);
        final List<StreamPlan> plans = new ArrayList<>();
        for (int i = 0; i < settings.streams(); i++) {
            final String id = runId + "-" + (i + 1);
            plans.add(i < longStreams ? longPlan(settings, id, random)
                    : ordinaryPlan(settings, id, endings.get(i - longStreams), random));
        }
        return plans;
    }

    private static List<Ending> endings(final FleetSettings settings, final int ordinary, final Random random) {
        final List<Ending> endings = new ArrayList<>();
        addTimes(endings, Ending.FAILED, Math.round(settings.streams() * settings.failedShare()));
        addTimes(endings, Ending.CANCELLED, Math.round(settings.streams() * settings.cancelledShare()));
        addTimes(endings, Ending.ABANDONED, Math.round(settings.streams() * settings.abandonedShare()));
        while (endings.size() > ordinary) {
            endings.remove(endings.size() - 1);
        }
        addTimes(endings, Ending.COMPLETED, ordinary - endings.size());
        Collections.shuffle(endings, random);
        return endings;
    }

    private static StreamPlan ordinaryPlan(final FleetSettings settings, final String id, final Ending ending,
                                           final Random random) {
        final long maxTokens = settings.tokens() * 2;
        final long answer = ending == Ending.COMPLETED && random.nextDouble() < OVERAGE_SHARE ? maxTokens
                : between(random, settings.tokens() / 2, settings.tokens() * 3 / 2);
        final long streamed = ending == Ending.COMPLETED ? answer
                : random.nextDouble() < BEFORE_FIRST_TOKEN_SHARE ? 0 : 1 + random.nextLong(Math.max(1, answer - 1));
        final long tick = Math.max(MIN_TICK_MILLIS, 1_000 / settings.tokensPerSecond());
        return new StreamPlan(id, tenantOf(id), ending, false, maxTokens, answer, streamed, inputTokens(random), tick,
                Math.max(1, settings.tokensPerSecond() * tick / 1_000));
    }

    private static StreamPlan longPlan(final FleetSettings settings, final String id, final Random random) {
        final long answer = settings.tokens();
        final long tick = Math.max(MIN_TICK_MILLIS, settings.longStreamDuration().toMillis() / answer);
        return new StreamPlan(id, tenantOf(id), Ending.COMPLETED, true, settings.tokens() * 2, answer, answer,
                inputTokens(random), tick, 1);
    }

    private static String tenantOf(final String reservationId) {
        return TENANTS.get(Math.floorMod(reservationId.hashCode(), TENANTS.size()));
    }

    private static long inputTokens(final Random random) {
        return between(random, MIN_INPUT_TOKENS, MAX_INPUT_TOKENS);
    }

    private static long between(final Random random, final long from, final long to) {
        return Math.max(1, from + random.nextLong(Math.max(1, to - from + 1)));
    }

    private static void addTimes(final List<Ending> endings, final Ending ending, final long times) {
        for (long i = 0; i < times; i++) {
            endings.add(ending);
        }
    }
}
