package dev.budgetmeter.bench.env;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The throughput baselines as pure functions of their topics: what Kafka Streams costs before the metering
 * topology's own work. Both copy every input record's bytes to the output topic, so they write what the pass-through
 * writes; the stateful floor also reads and writes one small value per record in a changelogged RocksDB store with
 * the Streams cache: the least a stateful exactly-once processor built from Kafka Streams' own stores does. (The
 * metering topology's lifecycle stores replace the Streams cache with a write-behind store of their own, which costs
 * less per write: the floor bounds what the cache costs, not what the metering topology's state must.)
 */
public final class BaselineTopologies {

    /** The stateful floor's store: its changelog topic is {@code <application.id>-floor-counts-changelog}. */
    public static final String FLOOR_STORE = "floor-counts";

    private BaselineTopologies() {
    }

    /** Bytes in, the same bytes out: no decoding, no state. */
    public static Topology passThrough(final String input, final String output) {
        final StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("baseline-source"))
                .to(output, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("baseline-sink"));
        return builder.build();
    }

    /** Bytes in, the same bytes out, and per record one get and one put of an 8-byte count under its key. */
    public static Topology statefulFloor(final String input, final String output) {
        final StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(FLOOR_STORE),
                Serdes.Bytes(), Serdes.Long()).withCachingEnabled());
        builder.stream(input, Consumed.with(Serdes.Bytes(), Serdes.ByteArray()).withName("floor-source"))
                .process(CountPerKey::new, Named.as("floor-count"), FLOOR_STORE)
                .to(output, Produced.with(Serdes.Bytes(), Serdes.ByteArray()).withName("floor-sink"));
        return builder.build();
    }

    /** Counts the records of each key in the store and forwards each record unchanged. */
    private static final class CountPerKey implements Processor<Bytes, byte[], Bytes, byte[]> {

        private ProcessorContext<Bytes, byte[]> context;
        private KeyValueStore<Bytes, Long> counts;

        @Override
        public void init(final ProcessorContext<Bytes, byte[]> context) {
            this.context = context;
            this.counts = context.getStateStore(FLOOR_STORE);
        }

        @Override
        public void process(final Record<Bytes, byte[]> record) {
            final Long seen = counts.get(record.key());
            counts.put(record.key(), seen == null ? 1L : seen + 1);
            context.forward(record);
        }
    }
}
