package dev.budgetmeter.producer;

import dev.budgetmeter.producer.internal.Checks;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The provider's totals for a whole call, reported once the provider sent them. They win over the sum of the
 * chunks. Immutable: every {@code with} method returns a new usage.
 *
 * <p>{@link #actual()} is the cost when the worker priced the call itself; it must be in the reservation
 * estimate's unit. Without it the topology prices the tokens (with the reservation's {@link Pricing} or its own
 * price table).
 */
public final class Usage {

    private final long inputTokens;
    private final long outputTokens;
    private final Amount actual;
    private final String modelVersion;
    private final Map<String, String> custom;

    private Usage(final long inputTokens, final long outputTokens, final Amount actual, final String modelVersion,
            final Map<String, String> custom) {
        this.inputTokens = Checks.nonNegative("usage.inputTokens", inputTokens);
        this.outputTokens = Checks.nonNegative("usage.outputTokens", outputTokens);
        this.actual = actual;
        this.modelVersion = modelVersion;
        this.custom = Map.copyOf(custom);
    }

    /**
     * The token totals of a call.
     *
     * @throws IllegalArgumentException when a count is negative
     */
    public static Usage of(final long inputTokens, final long outputTokens) {
        return new Usage(inputTokens, outputTokens, null, null, Map.of());
    }

    /** This usage with the cost the worker computed, in the estimate's unit. */
    public Usage withActual(final Amount actual) {
        return new Usage(inputTokens, outputTokens, Checks.required("usage.actual", actual), modelVersion, custom);
    }

    /** This usage with the model version the provider reported. */
    public Usage withModelVersion(final String modelVersion) {
        return new Usage(inputTokens, outputTokens, actual,
                Checks.required("usage.modelVersion", modelVersion), custom);
    }

    /** This usage with one more provider metric (a later value for the same name replaces the earlier one). */
    public Usage withCustom(final String name, final String value) {
        final Map<String, String> more = new LinkedHashMap<>(custom);
        more.put(Checks.required("usage.custom name", name), Checks.required("usage.custom " + name, value));
        return new Usage(inputTokens, outputTokens, actual, modelVersion, more);
    }

    public long inputTokens() {
        return inputTokens;
    }

    public long outputTokens() {
        return outputTokens;
    }

    public Optional<Amount> actual() {
        return Optional.ofNullable(actual);
    }

    public Optional<String> modelVersion() {
        return Optional.ofNullable(modelVersion);
    }

    /** Further provider metrics, unmodifiable. */
    public Map<String, String> custom() {
        return custom;
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof Usage that
                && inputTokens == that.inputTokens
                && outputTokens == that.outputTokens
                && Objects.equals(actual, that.actual)
                && Objects.equals(modelVersion, that.modelVersion)
                && custom.equals(that.custom);
    }

    @Override
    public int hashCode() {
        return Objects.hash(inputTokens, outputTokens, actual, modelVersion, custom);
    }

    @Override
    public String toString() {
        return "Usage{input=" + inputTokens + ", output=" + outputTokens + ", actual=" + actual + ", model="
                + modelVersion + ", custom=" + custom + '}';
    }
}
