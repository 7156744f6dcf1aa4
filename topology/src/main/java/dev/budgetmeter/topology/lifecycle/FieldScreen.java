package dev.budgetmeter.topology.lifecycle;

import static dev.budgetmeter.topology.rules.FieldLimits.MAX_ACTION_NAME_LENGTH;
import static dev.budgetmeter.topology.rules.FieldLimits.MAX_AMOUNT;
import static dev.budgetmeter.topology.rules.FieldLimits.MAX_REASON_LENGTH;
import static dev.budgetmeter.topology.rules.FieldLimits.MAX_TOKENS;
import static dev.budgetmeter.topology.rules.FieldLimits.length;
import static dev.budgetmeter.topology.rules.FieldLimits.map;
import static dev.budgetmeter.topology.rules.FieldLimits.range;

import dev.budgetmeter.schemas.Caps;
import dev.budgetmeter.schemas.End;
import dev.budgetmeter.schemas.IgnoredField;
import dev.budgetmeter.schemas.Reserve;
import dev.budgetmeter.schemas.Unit;
import dev.budgetmeter.schemas.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Drops the fields of an event that do not decide what is billed when they break the protocol's limits (or, for a
 * Usage's worker-priced actual, are in another unit than the reservation), so that the rest of the event, its token
 * counts above all, is still applied. What it drops is listed with the reason, for the audit record. Pure.
 */
final class FieldScreen {

    /** An event body with the fields that may be applied, and the ones that were dropped. */
    record Screened<T>(T body, List<IgnoredField> ignored) {
    }

    Screened<Reserve> reserve(final Reserve reserve) {
        final List<IgnoredField> ignored = new ArrayList<>();
        final boolean dropMetadata = drop(ignored, "Reserve.metadata", map("Reserve.metadata", reserve.getMetadata()));
        final Caps caps = reserve.getCaps();
        final boolean dropCaps = caps != null && caps.getMaxTokens() != null && drop(ignored, "Reserve.caps",
                range("Reserve.caps.max_tokens", caps.getMaxTokens(), 0, MAX_TOKENS));
        if (ignored.isEmpty()) {
            // The common case: no copy of the Reserve.
            return new Screened<>(reserve, ignored);
        }
        final Reserve.Builder kept = Reserve.newBuilder(reserve);
        if (dropMetadata) {
            kept.setMetadata(Map.of());
        }
        if (dropCaps) {
            kept.setCaps(null);
        }
        return new Screened<>(kept.build(), ignored);
    }

    /** {@code unit} is the reservation's: a worker-priced actual in another unit cannot be charged. */
    Screened<Usage> usage(final Usage usage, final Unit unit) {
        final List<IgnoredField> ignored = new ArrayList<>();
        boolean dropActual = false;
        if (usage.getActual() != null) {
            final String problem = usage.getActual().getUnit() != unit
                    ? "Usage.actual is in " + usage.getActual().getUnit() + " but the reservation's estimate is in "
                    + unit + ": the token counts are priced instead"
                    : range("Usage.actual.amount", usage.getActual().getAmount(), 0, MAX_AMOUNT);
            dropActual = drop(ignored, "Usage.actual", problem);
        }
        final boolean dropModelVersion = drop(ignored, "Usage.model_version",
                length("Usage.model_version", usage.getModelVersion(), 0, MAX_ACTION_NAME_LENGTH));
        final boolean dropCustom = drop(ignored, "Usage.custom", map("Usage.custom", usage.getCustom()));
        if (ignored.isEmpty()) {
            return new Screened<>(usage, ignored);
        }
        final Usage.Builder kept = Usage.newBuilder(usage);
        if (dropActual) {
            kept.setActual(null);
        }
        if (dropModelVersion) {
            kept.setModelVersion(null);
        }
        if (dropCustom) {
            kept.setCustom(Map.of());
        }
        return new Screened<>(kept.build(), ignored);
    }

    Screened<End> end(final End end) {
        final List<IgnoredField> ignored = new ArrayList<>();
        if (drop(ignored, "End.reason", length("End.reason", end.getReason(), 0, MAX_REASON_LENGTH))) {
            return new Screened<>(new End(end.getOutcome(), null), ignored);
        }
        return new Screened<>(end, ignored);
    }

    private static boolean drop(final List<IgnoredField> ignored, final String field, final String problem) {
        if (problem == null) {
            return false;
        }
        ignored.add(new IgnoredField(field, problem));
        return true;
    }
}
