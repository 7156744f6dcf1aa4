package dev.budgetmeter.topology.state;

import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Builds a {@link WriteBehindStore} over the store of a builder whose own caching is off (the write-behind store is
 * the cache), so its logging settings, which Kafka Streams reads and changes on the builder, stay the wrapped
 * store's.
 */
final class WriteBehindStoreBuilder<K, V> implements StoreBuilder<KeyValueStore<K, V>> {

    private final StoreBuilder<KeyValueStore<K, V>> wrapped;
    private final int maxBuffered;

    WriteBehindStoreBuilder(final StoreBuilder<KeyValueStore<K, V>> wrapped, final int maxBuffered) {
        this.wrapped = wrapped.withCachingDisabled();
        this.maxBuffered = maxBuffered;
    }

    @Override
    public StoreBuilder<KeyValueStore<K, V>> withCachingEnabled() {
        throw new UnsupportedOperationException("a write-behind store is its own cache");
    }

    @Override
    public StoreBuilder<KeyValueStore<K, V>> withCachingDisabled() {
        return this;
    }

    @Override
    public StoreBuilder<KeyValueStore<K, V>> withLoggingEnabled(final Map<String, String> config) {
        wrapped.withLoggingEnabled(config);
        return this;
    }

    @Override
    public StoreBuilder<KeyValueStore<K, V>> withLoggingDisabled() {
        wrapped.withLoggingDisabled();
        return this;
    }

    @Override
    public KeyValueStore<K, V> build() {
        return new WriteBehindStore<>(wrapped.build(), maxBuffered);
    }

    @Override
    public Map<String, String> logConfig() {
        return wrapped.logConfig();
    }

    @Override
    public boolean loggingEnabled() {
        return wrapped.loggingEnabled();
    }

    @Override
    public String name() {
        return wrapped.name();
    }
}
