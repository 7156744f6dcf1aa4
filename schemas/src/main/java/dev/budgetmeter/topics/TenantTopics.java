package dev.budgetmeter.topics;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The per-tenant input topics, {@code <prefix>stream-events.<tenant>}: the Kafka-native way to keep tenants apart.
 * Kafka does not tell a consumer who wrote a record, but it does decide who may write a topic: with one input topic
 * per tenant and a WRITE ACL for that tenant's principal alone, the topic a record was read from names the tenant
 * that wrote it, and the topology refuses an event of another tenant's reservation read there.
 *
 * <p>A tenant id that names a topic is 1-{@value #MAX_TENANT_LENGTH} characters of {@code [A-Za-z0-9._-]}
 * (Kafka's topic alphabet), so that {@code <prefix>stream-events.<tenant>} is a legal topic name for any prefix of
 * up to 100 characters. Every tenant topic of a deployment has the partition count of the other input topics
 * (see the README, Security): a reservation's records then meet in one task whichever topic they were written to.
 * Stateless; thread-safe.
 */
public final class TenantTopics {

    /** Between {@code <prefix>stream-events} and the tenant id. */
    public static final String SEPARATOR = ".";
    /** Longest tenant id that names a topic. */
    public static final int MAX_TENANT_LENGTH = 128;

    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_TENANT_LENGTH + "}");

    private TenantTopics() {
    }

    /** {@code <prefix>stream-events.<tenant>}; the tenant must name a topic ({@link #namesTopic}). */
    public static String name(final String prefix, final String tenant) {
        if (!namesTopic(tenant)) {
            throw new IllegalArgumentException("tenant '" + tenant + "' cannot name a topic: 1-" + MAX_TENANT_LENGTH
                    + " characters of A-Z, a-z, 0-9, '.', '_' and '-'");
        }
        return base(prefix) + tenant;
    }

    /** The pattern of every tenant topic under {@code prefix}: {@code <prefix>stream-events.} and a tenant id. */
    public static Pattern pattern(final String prefix) {
        return Pattern.compile(Pattern.quote(base(prefix)) + TENANT.pattern());
    }

    /** The common start of every tenant topic's name, for a prefixed ACL: {@code <prefix>stream-events.}. */
    public static String base(final String prefix) {
        return Topics.STREAM_EVENTS.name(prefix) + SEPARATOR;
    }

    /** The tenant whose topic {@code topic} is, or empty when it is not a tenant topic of {@code prefix}. */
    public static Optional<String> tenantOf(final String prefix, final String topic) {
        return pattern(prefix).matcher(topic).matches() ? Optional.of(topic.substring(base(prefix).length()))
                : Optional.empty();
    }

    /** Whether {@code tenant} can name a topic: 1-128 characters of {@code [A-Za-z0-9._-]}. */
    public static boolean namesTopic(final String tenant) {
        return tenant != null && TENANT.matcher(tenant).matches();
    }
}
