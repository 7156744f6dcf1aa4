package dev.budgetmeter.topology.decode;

import dev.budgetmeter.schemas.DeadLetterReason;
import dev.budgetmeter.topics.TenantTopics;
import dev.budgetmeter.topology.rules.FieldLimits;
import dev.budgetmeter.topology.rules.Rejection;
import java.util.Objects;
import java.util.Optional;

/**
 * Whose events an input topic may carry. With one shared input topic, any tenant's: Kafka does not say who wrote a
 * record, so a principal that may write the topic may write events of any reservation. With per-tenant topics
 * ({@link TenantTopics}, each writable by its tenant's principal alone) the topic names the writer's tenant, and an
 * event may only belong to a reservation of that tenant: a Reserve whose subject is another tenant's, or any later
 * event of another tenant's reservation, is refused as {@link DeadLetterReason#TENANT_MISMATCH}, before it can touch
 * that reservation. Immutable and thread-safe.
 */
public final class InputTenancy {

    private static final InputTenancy SHARED = new InputTenancy(null);

    private final String prefix;

    private InputTenancy(final String prefix) {
        this.prefix = prefix;
    }

    /** One input topic for every tenant: no event is refused for its topic. */
    public static InputTenancy shared() {
        return SHARED;
    }

    /** Per-tenant input topics under {@code prefix}: an event must belong to its topic's tenant. */
    public static InputTenancy perTenantTopics(final String prefix) {
        return new InputTenancy(Objects.requireNonNull(prefix, "prefix"));
    }

    /** Whether events are read from per-tenant topics. */
    public boolean perTenant() {
        return prefix != null;
    }

    /**
     * Why an event read from {@code source} may not be applied to a reservation of {@code reservationTenant}, or
     * empty when it may.
     *
     * @param reservationTenant the tenant of the stored reservation, or of the Reserve that opens it
     */
    public Optional<Rejection> check(final SourceRecord source, final String reservationTenant) {
        if (prefix == null) {
            return Optional.empty();
        }
        final Optional<String> topicTenant = TenantTopics.tenantOf(prefix, source.topic());
        if (topicTenant.isPresent() && topicTenant.get().equals(reservationTenant)) {
            return Optional.empty();
        }
        return Optional.of(new Rejection(DeadLetterReason.TENANT_MISMATCH, "read from " + source.topic()
                + topicTenant.map(tenant -> ", the topic of tenant '" + FieldLimits.abbreviate(tenant) + "',")
                        .orElse(", which is no tenant's topic,")
                + " but the reservation belongs to tenant '" + FieldLimits.abbreviate(reservationTenant)
                + "': only that tenant's topic may carry its events"));
    }
}
