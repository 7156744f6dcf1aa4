package dev.budgetmeter.topology.state;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * A key-value store that keeps the writes of a commit interval as objects, latest per key, and hands them to the
 * logged store it wraps (typed, uncached) only when Kafka Streams flushes the task's caches, which it does before
 * every commit (so the writes are in the changelog within the task's transaction, exactly as a cached store's are),
 * before a range scan, and when more than {@code maxBuffered} keys wait. A key written many times within an interval
 * is serialized, written to RocksDB and logged once; a key created and deleted within one reaches neither.
 *
 * <p>This replaces the Streams cache, which keeps serialized values of clean and dirty entries in a sorted map per
 * store: per write it serializes, looks the key up in that map and moves it in its LRU, and at commit it looks every
 * dirty key up again. The callers here keep their own decoded objects (see the lifecycle's live reservations), so
 * only the dirty entries are worth holding.
 *
 * <p>Guarantees: a read sees every write made through this store; after {@link #flushCache()} the wrapped store holds
 * them all; a delete is dropped, not logged, only for a key this store knows the wrapped store lacks (it read it as
 * absent since the last flush and nothing wrote it there since). Values are held by reference: the caller must not
 * change a value after writing it. Only the task's stream thread may use it (as with every store it is handed); it is
 * not queryable, since it holds writes the changelog does not have yet.
 *
 * <p>It hooks into the cache flush through Kafka Streams' {@link WrappedStateStore}, an internal class, because no
 * public API runs code of a store before the commit: the tests of its contract run on the real Streams runtime.
 */
public final class WriteBehindStore<K, V> extends WrappedStateStore<KeyValueStore<K, V>, K, V>
        implements KeyValueStore<K, V> {

    /** Keys written since the last flush, in write order, to their latest value (null: deleted). */
    private final Map<K, V> pending = new LinkedHashMap<>();
    /** Keys read as absent from the wrapped store since the last flush. */
    private final Set<K> absent = new HashSet<>();
    private final int maxBuffered;

    /**
     * @param wrapped     the logged, uncached store the writes go to
     * @param maxBuffered keys held (written or known absent) before they are flushed regardless of the commit
     */
    public WriteBehindStore(final KeyValueStore<K, V> wrapped, final int maxBuffered) {
        super(wrapped);
        if (maxBuffered < 1) {
            throw new IllegalArgumentException("maxBuffered must be positive: " + maxBuffered);
        }
        this.maxBuffered = maxBuffered;
    }

    @Override
    public void init(final StateStoreContext context, final StateStore root) {
        discard();
        super.init(context, root);
    }

    @Override
    public V get(final K key) {
        if (pending.containsKey(key)) {
            return pending.get(key);
        }
        if (absent.contains(key)) {
            return null;
        }
        final V stored = wrapped().get(key);
        if (stored == null) {
            absent.add(key);
            flushIfFull();
        }
        return stored;
    }

    @Override
    public void put(final K key, final V value) {
        if (value == null && absent.contains(key)) {
            pending.remove(key);
            return;
        }
        pending.put(key, value);
        flushIfFull();
    }

    @Override
    public V putIfAbsent(final K key, final V value) {
        final V current = get(key);
        if (current == null) {
            put(key, value);
        }
        return current;
    }

    @Override
    public void putAll(final List<KeyValue<K, V>> entries) {
        entries.forEach(entry -> put(entry.key, entry.value));
    }

    @Override
    public V delete(final K key) {
        final V current = get(key);
        put(key, null);
        return current;
    }

    @Override
    public KeyValueIterator<K, V> range(final K from, final K to) {
        writePending();
        return wrapped().range(from, to);
    }

    @Override
    public KeyValueIterator<K, V> reverseRange(final K from, final K to) {
        writePending();
        return wrapped().reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<K, V> all() {
        writePending();
        return wrapped().all();
    }

    @Override
    public KeyValueIterator<K, V> reverseAll() {
        writePending();
        return wrapped().reverseAll();
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<K, V> prefixScan(final P prefix,
                                                                          final PS prefixKeySerializer) {
        writePending();
        return wrapped().prefixScan(prefix, prefixKeySerializer);
    }

    @Override
    public long approximateNumEntries() {
        return wrapped().approximateNumEntries() + pending.size();
    }

    /** Called by Kafka Streams before every commit, and before a clean close. */
    @Override
    public void flushCache() {
        writePending();
        super.flushCache();
    }

    /** Called by Kafka Streams when the task becomes a standby, after its last commit. */
    @Override
    public void clearCache() {
        discard();
        super.clearCache();
    }

    @Override
    public void close() {
        // A clean close flushes first; a dirty one (an aborted transaction, a crash) must lose what was not committed.
        discard();
        super.close();
    }

    @Override
    public <R> QueryResult<R> query(final Query<R> query, final PositionBound positionBound,
                                    final QueryConfig config) {
        return QueryResult.forFailure(FailureReason.UNKNOWN_QUERY_TYPE,
                "store " + name() + " holds writes not in its changelog yet and answers no queries");
    }

    private void flushIfFull() {
        if (pending.size() + absent.size() > maxBuffered) {
            writePending();
        }
    }

    /** Writes the pending keys to the wrapped store (and so to its changelog); what it lacks is unknown after. */
    private void writePending() {
        for (final Map.Entry<K, V> entry : pending.entrySet()) {
            wrapped().put(entry.getKey(), entry.getValue());
        }
        discard();
    }

    private void discard() {
        pending.clear();
        absent.clear();
    }
}
