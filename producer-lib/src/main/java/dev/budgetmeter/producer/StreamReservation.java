package dev.budgetmeter.producer;

import dev.budgetmeter.producer.internal.Checks;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What a worker reserves before it streams: who spends ({@link Subject}), on what (action kind and name), the
 * worst-case cost ({@link Amount}) and how long the hold lives. Immutable and valid: {@link Builder#build()} checks
 * every field against the Cycles protocol's limits and throws {@link IllegalArgumentException} naming the field, so
 * an invalid reservation fails in the worker rather than in the topology's dead-letter topic.
 *
 * <p>The reservation id is either given (an id an external budget authority returned) or a random UUID chosen at
 * {@code build()}. Opening the same reservation twice on one meter while the first stream is open is refused.
 *
 * <p>Defaults: ttl 60 s (1 s-24 h), grace period 5 s (0-60 s), overage policy
 * {@link OveragePolicy#ALLOW_IF_AVAILABLE}; no expiry (the hold expires {@code ttl} after the Reserve event), no
 * caps, no pricing (the topology's price table for the action name), no metadata.
 */
public final class StreamReservation {

    /** Longest reservation id: leaves room for the idempotency-key suffixes the pipeline derives from it. */
    public static final int MAX_RESERVATION_ID_LENGTH = 200;
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(60);
    public static final Duration MIN_TTL = Duration.ofSeconds(1);
    public static final Duration MAX_TTL = Duration.ofDays(1);
    public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofSeconds(5);
    public static final Duration MAX_GRACE_PERIOD = Duration.ofSeconds(60);
    public static final int MAX_ACTION_KIND_LENGTH = 64;
    public static final int MAX_ACTION_NAME_LENGTH = 256;
    public static final int MAX_ACTION_TAGS = 10;

    private final String reservationId;
    private final Subject subject;
    private final String actionKind;
    private final String actionName;
    private final List<String> actionTags;
    private final Amount estimate;
    private final Duration ttl;
    private final Duration gracePeriod;
    private final OveragePolicy overagePolicy;
    private final Instant expiresAt;
    private final Caps caps;
    private final Pricing pricing;
    private final Map<String, String> metadata;

    private StreamReservation(final Builder builder) {
        this.reservationId = builder.reservationId != null ? builder.reservationId : UUID.randomUUID().toString();
        this.subject = Checks.required("subject", builder.subject);
        this.actionKind = Checks.required("action", builder.actionKind);
        this.actionName = builder.actionName;
        this.actionTags = builder.actionTags;
        this.estimate = Checks.required("estimate", builder.estimate);
        this.ttl = builder.ttl;
        this.gracePeriod = builder.gracePeriod;
        this.overagePolicy = builder.overagePolicy;
        this.expiresAt = builder.expiresAt;
        this.caps = builder.caps;
        this.pricing = builder.pricing;
        this.metadata = Map.copyOf(builder.metadata);
    }

    /** A builder; subject, action and estimate are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The key of every event of the stream and the id the budget authority knows the hold by. */
    public String reservationId() {
        return reservationId;
    }

    public Subject subject() {
        return subject;
    }

    /** The action kind, for example {@code llm.completion}. */
    public String actionKind() {
        return actionKind;
    }

    /** The action name, for example {@code gpt-4o}; it also selects the topology's price-table row. */
    public String actionName() {
        return actionName;
    }

    public List<String> actionTags() {
        return actionTags;
    }

    /** The worst-case cost held; its unit is the unit of the whole reservation. */
    public Amount estimate() {
        return estimate;
    }

    public Duration ttl() {
        return ttl;
    }

    public Duration gracePeriod() {
        return gracePeriod;
    }

    public OveragePolicy overagePolicy() {
        return overagePolicy;
    }

    /** The expiry an external authority already granted, when it did. */
    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(expiresAt);
    }

    /** The caps an external authority granted with {@code ALLOW_WITH_CAPS}, when it did. */
    public Optional<Caps> caps() {
        return Optional.ofNullable(caps);
    }

    public Optional<Pricing> pricing() {
        return Optional.ofNullable(pricing);
    }

    /** Free metadata passed through to the budget commands, unmodifiable. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * This reservation as an authority granted it: under the authority's reservation id, with its expiry and caps
     * (null for none). Everything else as requested.
     */
    StreamReservation grantedAs(final String grantedId, final Instant grantedExpiry, final Caps grantedCaps) {
        final Builder copy = builder().reservationId(grantedId).subject(subject).action(actionKind, actionName,
                actionTags).estimate(estimate).ttl(ttl).gracePeriod(gracePeriod).overagePolicy(overagePolicy)
                .expiresAt(grantedExpiry).metadata(metadata);
        if (grantedCaps != null) {
            copy.caps(grantedCaps);
        }
        if (pricing != null) {
            copy.pricing(pricing);
        }
        return copy.build();
    }

    @Override
    public String toString() {
        return "StreamReservation{" + reservationId + ", " + subject + ", " + actionKind + "/" + actionName + ", "
                + estimate + ", ttl=" + ttl + '}';
    }

    /** Builds a {@link StreamReservation}; setters check their argument, {@link #build()} the required fields. */
    public static final class Builder {

        private String reservationId;
        private Subject subject;
        private String actionKind;
        private String actionName;
        private List<String> actionTags = List.of();
        private Amount estimate;
        private Duration ttl = DEFAULT_TTL;
        private Duration gracePeriod = DEFAULT_GRACE_PERIOD;
        private OveragePolicy overagePolicy = OveragePolicy.ALLOW_IF_AVAILABLE;
        private Instant expiresAt;
        private Caps caps;
        private Pricing pricing;
        private final Map<String, String> metadata = new LinkedHashMap<>();

        private Builder() {
        }

        /** Uses an id an external authority returned instead of a random UUID (1-200 characters). */
        public Builder reservationId(final String reservationId) {
            this.reservationId = Checks.text("reservationId", reservationId, MAX_RESERVATION_ID_LENGTH);
            return this;
        }

        public Builder subject(final Subject subject) {
            this.subject = Checks.required("subject", subject);
            return this;
        }

        /** The action, for example {@code action("llm.completion", "gpt-4o")}. */
        public Builder action(final String kind, final String name) {
            return action(kind, name, List.of());
        }

        /** The action with up to 10 tags. */
        public Builder action(final String kind, final String name, final List<String> tags) {
            this.actionKind = Checks.text("action.kind", kind, MAX_ACTION_KIND_LENGTH);
            this.actionName = Checks.text("action.name", name, MAX_ACTION_NAME_LENGTH);
            this.actionTags = List.copyOf(Checks.atMost("action.tags", tags, MAX_ACTION_TAGS));
            return this;
        }

        /** The worst-case cost to hold, for example {@code Amount.usdMicrocents(maxTokens * 1_000L)}. */
        public Builder estimate(final Amount estimate) {
            this.estimate = Checks.required("estimate", estimate);
            return this;
        }

        /** How long the hold lives, 1 s-24 h (the topology extends it while the stream is active). */
        public Builder ttl(final Duration ttl) {
            this.ttl = Checks.millisRange("ttl", ttl, MIN_TTL.toMillis(), MAX_TTL.toMillis());
            return this;
        }

        /** How long after expiry a commit or release is still accepted, 0-60 s. */
        public Builder gracePeriod(final Duration gracePeriod) {
            this.gracePeriod = Checks.millisRange("gracePeriod", gracePeriod, 0, MAX_GRACE_PERIOD.toMillis());
            return this;
        }

        public Builder overagePolicy(final OveragePolicy overagePolicy) {
            this.overagePolicy = Checks.required("overagePolicy", overagePolicy);
            return this;
        }

        /** The expiry an external authority already granted for this reservation id. */
        public Builder expiresAt(final Instant expiresAt) {
            this.expiresAt = Checks.required("expiresAt", expiresAt);
            return this;
        }

        /** The caps an external authority granted with {@code ALLOW_WITH_CAPS}. */
        public Builder caps(final Caps caps) {
            this.caps = Checks.required("caps", caps);
            return this;
        }

        /** Token prices in the estimate's unit, for example {@code Pricing.perToken(250, 1000)}. */
        public Builder pricing(final Pricing pricing) {
            this.pricing = Checks.required("pricing", pricing);
            return this;
        }

        /** One metadata entry (a later value for the same key replaces the earlier one). */
        public Builder metadata(final String key, final String value) {
            metadata.put(Checks.required("metadata key", key), Checks.required("metadata " + key, value));
            return this;
        }

        /** Several metadata entries. */
        public Builder metadata(final Map<String, String> entries) {
            Checks.noNulls("metadata", entries).forEach(this::metadata);
            return this;
        }

        /**
         * The reservation, with a random UUID as id unless one was given.
         *
         * @throws IllegalArgumentException naming the first missing required field (subject, action, estimate)
         */
        public StreamReservation build() {
            return new StreamReservation(this);
        }
    }
}
