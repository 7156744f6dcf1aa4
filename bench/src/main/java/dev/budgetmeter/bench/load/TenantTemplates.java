package dev.budgetmeter.bench.load;

import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Streams spread over tenants: stream {@code n} belongs to tenant {@code n % tenants}, so consecutive streams (and
 * the interleaved ones of {@link StreamTraffic}) take turns over every tenant. Each tenant's events are serialized
 * once, as {@link EventTemplates} of the same shape; immutable.
 */
public final class TenantTemplates implements StreamTemplates {

    private final List<String> tenants;
    private final List<EventTemplates> templates;

    private TenantTemplates(final List<String> tenants, final List<EventTemplates> templates) {
        this.tenants = List.copyOf(tenants);
        this.templates = List.copyOf(templates);
    }

    /**
     * @param tenants       the tenants, at least one
     * @param templatesOf   the serialized streams of one tenant
     */
    public static TenantTemplates of(final List<String> tenants, final Function<String, EventTemplates> templatesOf) {
        if (tenants.isEmpty()) {
            throw new IllegalArgumentException("at least one tenant");
        }
        return new TenantTemplates(tenants, tenants.stream().map(templatesOf).toList());
    }

    /** {@code count} tenant names {@code <prefix>0000}, {@code <prefix>0001}, ... */
    public static List<String> named(final String prefix, final int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + String.format("%04d", i)).toList();
    }

    public List<String> tenants() {
        return tenants;
    }

    /** The tenant of stream {@code streamNumber}. */
    public String tenantOf(final long streamNumber) {
        return tenants.get(index(streamNumber));
    }

    @Override
    public int eventsPerStream() {
        return templates.get(0).eventsPerStream();
    }

    @Override
    public byte[] value(final int index, final long streamNumber, final long occurredAtMs) {
        return templates.get(index(streamNumber)).value(index, streamNumber, occurredAtMs);
    }

    private int index(final long streamNumber) {
        return (int) Math.floorMod(streamNumber, (long) tenants.size());
    }
}
