package dev.budgetmeter.registry.internal;

import static dev.budgetmeter.registry.TestSchemas.METER_V1;
import static dev.budgetmeter.registry.TestSchemas.METER_V2_WITH_DEFAULT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.budgetmeter.registry.CountingSchemaRegistryClient;
import dev.budgetmeter.registry.MockSchemaRegistry;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CachingSchemaRegistryClientTest {

    private final String scope = "caching-test-" + UUID.randomUUID();
    private final CountingSchemaRegistryClient registry =
            new CountingSchemaRegistryClient(MockSchemaRegistry.forScope(scope));
    private final CachingSchemaRegistryClient cache = new CachingSchemaRegistryClient(registry);

    @AfterEach
    void dropScope() {
        MockSchemaRegistry.drop(scope);
    }

    @Test
    void a_registered_schema_is_known_both_ways_without_another_call() {
        final int id = cache.register("meter-value", METER_V1);

        assertThat(cache.register("meter-value", METER_V1)).isEqualTo(id);
        assertThat(cache.lookupId("meter-value", METER_V1)).isEqualTo(id);
        assertThat(cache.getById(id)).isEqualTo(METER_V1);
        assertThat(registry.calls()).isEqualTo(1);
    }

    @Test
    void a_schema_fetched_by_id_is_fetched_once() {
        final int id = MockSchemaRegistry.forScope(scope).register("meter-value", METER_V1);

        cache.getById(id);
        cache.getById(id);

        assertThat(registry.calls()).isEqualTo(1);
    }

    @Test
    void the_same_schema_under_another_subject_is_asked_for() {
        cache.register("a-value", METER_V1);
        cache.register("b-value", METER_V1);

        assertThat(registry.calls()).isEqualTo(2);
    }

    @Test
    void latest_always_asks_the_registry_because_it_changes() {
        cache.register("meter-value", METER_V1);
        assertThat(cache.latest("meter-value").schema()).isEqualTo(METER_V1);

        final int v2 = cache.register("meter-value", METER_V2_WITH_DEFAULT);

        assertThat(cache.latest("meter-value").id()).isEqualTo(v2);
        assertThat(registry.calls()).isEqualTo(4);
    }

    @Test
    void concurrent_callers_all_get_the_same_id() throws Exception {
        final ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            final Callable<Integer> register = () -> cache.register("meter-value", METER_V1);
            final List<Future<Integer>> results =
                    pool.invokeAll(IntStream.range(0, 64).mapToObj(i -> register).toList());

            final int expected = results.get(0).get();
            for (final Future<Integer> result : results) {
                assertThat(result.get()).isEqualTo(expected);
            }
            assertThat(registry.calls()).isBetween(1, 8);
        } finally {
            pool.shutdownNow();
        }
    }
}
