package dev.budgetmeter.producer;

import dev.budgetmeter.producer.internal.Checks;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The advisory caps a budget authority granted with an {@code ALLOW_WITH_CAPS} decision. Immutable. Caps are
 * applied by the worker, not enforced by the pipeline: a streaming worker writes at most
 * {@link #effectiveMaxTokens(long)} output tokens.
 *
 * <p>An absent cap means "no cap". An empty tool allowlist is a cap (no tool is allowed), unlike an absent one.
 */
public final class Caps {

    private final Long maxTokens;
    private final Integer maxStepsRemaining;
    private final List<String> toolAllowlist;
    private final List<String> toolDenylist;
    private final Duration cooldown;

    private Caps(final Builder builder) {
        this.maxTokens = builder.maxTokens;
        this.maxStepsRemaining = builder.maxStepsRemaining;
        this.toolAllowlist = builder.toolAllowlist;
        this.toolDenylist = builder.toolDenylist;
        this.cooldown = builder.cooldown;
    }

    /** A builder of caps; every cap is absent until set. */
    public static Builder builder() {
        return new Builder();
    }

    /** Only a cap on output tokens, the cap streaming workers care about. */
    public static Caps maxTokens(final long maxTokens) {
        return builder().maxTokens(maxTokens).build();
    }

    /** At most this many output tokens. */
    public OptionalLong maxTokens() {
        return maxTokens == null ? OptionalLong.empty() : OptionalLong.of(maxTokens);
    }

    /** Agent steps left. */
    public OptionalInt maxStepsRemaining() {
        return maxStepsRemaining == null ? OptionalInt.empty() : OptionalInt.of(maxStepsRemaining);
    }

    /** Only these tools, when present. */
    public Optional<List<String>> toolAllowlist() {
        return Optional.ofNullable(toolAllowlist);
    }

    /** Not these tools, when present. */
    public Optional<List<String>> toolDenylist() {
        return Optional.ofNullable(toolDenylist);
    }

    /** Wait this long before the next call, when present. */
    public Optional<Duration> cooldown() {
        return Optional.ofNullable(cooldown);
    }

    /**
     * The output tokens a call may request under these caps: {@code min(requested, maxTokens)}, or
     * {@code requested} when there is no token cap.
     *
     * @throws IllegalArgumentException when {@code requested} is negative
     */
    public long effectiveMaxTokens(final long requested) {
        Checks.nonNegative("requested", requested);
        return maxTokens == null ? requested : Math.min(requested, maxTokens);
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof Caps that
                && Objects.equals(maxTokens, that.maxTokens)
                && Objects.equals(maxStepsRemaining, that.maxStepsRemaining)
                && Objects.equals(toolAllowlist, that.toolAllowlist)
                && Objects.equals(toolDenylist, that.toolDenylist)
                && Objects.equals(cooldown, that.cooldown);
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxTokens, maxStepsRemaining, toolAllowlist, toolDenylist, cooldown);
    }

    @Override
    public String toString() {
        return "Caps{maxTokens=" + maxTokens + ", maxStepsRemaining=" + maxStepsRemaining + ", toolAllowlist="
                + toolAllowlist + ", toolDenylist=" + toolDenylist + ", cooldown=" + cooldown + '}';
    }

    /** Builds {@link Caps}; each setter checks its argument and throws {@link IllegalArgumentException}. */
    public static final class Builder {

        private Long maxTokens;
        private Integer maxStepsRemaining;
        private List<String> toolAllowlist;
        private List<String> toolDenylist;
        private Duration cooldown;

        private Builder() {
        }

        /** At most this many output tokens, {@code >= 0}. */
        public Builder maxTokens(final long maxTokens) {
            this.maxTokens = Checks.nonNegative("caps.maxTokens", maxTokens);
            return this;
        }

        /** Agent steps left, {@code >= 0}. */
        public Builder maxStepsRemaining(final int maxStepsRemaining) {
            this.maxStepsRemaining = (int) Checks.nonNegative("caps.maxStepsRemaining", maxStepsRemaining);
            return this;
        }

        /** Only these tools. */
        public Builder toolAllowlist(final List<String> tools) {
            this.toolAllowlist = List.copyOf(Checks.atMost("caps.toolAllowlist", tools, Integer.MAX_VALUE));
            return this;
        }

        /** Not these tools. */
        public Builder toolDenylist(final List<String> tools) {
            this.toolDenylist = List.copyOf(Checks.atMost("caps.toolDenylist", tools, Integer.MAX_VALUE));
            return this;
        }

        /** Wait this long before the next call, {@code >= 0}. */
        public Builder cooldown(final Duration cooldown) {
            Checks.nonNegative("caps.cooldown (ms)", Checks.required("caps.cooldown", cooldown).toMillis());
            this.cooldown = cooldown;
            return this;
        }

        public Caps build() {
            return new Caps(this);
        }
    }
}
