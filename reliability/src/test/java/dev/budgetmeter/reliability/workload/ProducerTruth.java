package dev.budgetmeter.reliability.workload;

import dev.budgetmeter.cli.audit.Expectations;
import dev.budgetmeter.schemas.Unit;
import dev.budgetmeter.schemas.Chunk;
import dev.budgetmeter.schemas.Reserve;
import dev.budgetmeter.schemas.StreamEvent;
import dev.budgetmeter.schemas.Usage;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the workers know they reported, per reservation: the billable tokens of the events the broker acknowledged
 * (each event once, however often it was sent), with the provider's totals winning over chunk sums as in the
 * topology's billing. The pipeline must charge exactly this; it is the producer-side side of the oracle's check.
 * Immutable.
 */
public final class ProducerTruth {

    private final Map<String, Tokens> billed;

    private ProducerTruth(final Map<String, Tokens> billed) {
        this.billed = Map.copyOf(billed);
    }

    /**
     * The truth of acknowledged events; duplicates (same reservation and seq) count once, and only reservations whose
     * Reserve was acknowledged are included.
     */
    public static ProducerTruth of(final Collection<StreamEvent> acknowledged) {
        final Map<String, TreeMap<Long, StreamEvent>> byReservation = new LinkedHashMap<>();
        for (final StreamEvent event : acknowledged) {
            byReservation.computeIfAbsent(event.getReservationId(), id -> new TreeMap<>())
                    .putIfAbsent(event.getSeq(), event);
        }
        final Map<String, Tokens> billed = new LinkedHashMap<>();
        byReservation.forEach((id, events) -> {
            if (events.containsKey(0L) && events.get(0L).getBody() instanceof Reserve) {
                billed.put(id, billedTokens(events.values()));
            }
        });
        return new ProducerTruth(billed);
    }

    private static Tokens billedTokens(final Collection<StreamEvent> inSeqOrder) {
        Tokens chunks = Tokens.NONE;
        Usage usage = null;
        for (final StreamEvent event : inSeqOrder) {
            if (event.getBody() instanceof Chunk chunk) {
                chunks = chunks.plus(new Tokens(chunk.getTokensInput(), chunk.getTokensOutput()));
            } else if (event.getBody() instanceof Usage reported) {
                usage = reported;
            }
        }
        return usage == null ? chunks : new Tokens(usage.getTokensInput(), usage.getTokensOutput());
    }

    /** This truth plus reservations whose billable tokens are known otherwise (for example from the library). */
    public ProducerTruth with(final Map<String, Tokens> more) {
        final Map<String, Tokens> merged = new LinkedHashMap<>(billed);
        merged.putAll(more);
        return new ProducerTruth(merged);
    }

    public Set<String> reservations() {
        return billed.keySet();
    }

    public Tokens billedTokens(final String reservationId) {
        return billed.getOrDefault(reservationId, Tokens.NONE);
    }

    /**
     * For the cli's oracle: every reservation must be settled, and charged its priced usage; and each budget of the
     * ledger (every stream is held on all of {@link StreamEvents#BUDGETED_SCOPES}) charged their sum.
     */
    public Expectations expectations() {
        final Map<String, Long> charges = new LinkedHashMap<>();
        billed.forEach((id, tokens) -> charges.put(id, tokens.price()));
        final long total = charges.values().stream().mapToLong(Long::longValue).sum();
        final Map<String, Long> budgets = new LinkedHashMap<>();
        StreamEvents.BUDGETED_SCOPES.forEach(scope -> budgets.put(scope + "|" + Unit.USD_MICROCENTS, total));
        return Expectations.charges(charges).withBudgetCharges(budgets);
    }

    @Override
    public String toString() {
        return billed.size() + " reservations, " + billed.values().stream()
                .mapToLong(tokens -> tokens.input() + tokens.output()).sum() + " billable tokens";
    }
}
