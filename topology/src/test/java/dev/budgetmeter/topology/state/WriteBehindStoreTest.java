package dev.budgetmeter.topology.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link WriteBehindStore} on the Streams runtime: the driver commits after every input record, so
 * each record's script of writes is one commit interval, and the store's changelog shows what reached the wrapped
 * store.
 */
class WriteBehindStoreTest {

    private static final String STORE = "kv";
    private static final String CHANGELOG = "wb-" + STORE + "-changelog";
    private static final int MAX_BUFFERED = 4;

    private TopologyTestDriver driver;
    private TestInputTopic<String, String> scripts;
    private TestOutputTopic<String, String> reads;
    private TestOutputTopic<String, String> changelog;

    @BeforeEach
    void start() {
        final Topology topology = new Topology();
        topology.addSource("scripts", new StringDeserializer(), new StringDeserializer(), "scripts");
        topology.addProcessor("run", ScriptRunner::new, "scripts");
        topology.addStateStore(new WriteBehindStoreBuilder<>(Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(STORE), Serdes.String(), Serdes.String()), MAX_BUFFERED), "run");
        topology.addSink("reads", "reads", new StringSerializer(), new StringSerializer(), "run");
        final Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "wb");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(topology, config);
        scripts = driver.createInputTopic("scripts", new StringSerializer(), new StringSerializer());
        reads = driver.createOutputTopic("reads", new StringDeserializer(), new StringDeserializer());
        changelog = driver.createOutputTopic(CHANGELOG, new StringDeserializer(), new StringDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void a_key_written_several_times_within_an_interval_is_logged_once_with_its_latest_value() {
        scripts.pipeInput("a=1 a=2 b=1 a=3");

        assertThat(changelog.readKeyValuesToList()).containsExactly(KeyValue.pair("a", "3"), KeyValue.pair("b", "1"));
        assertThat(driver.getKeyValueStore(STORE).get("a")).isEqualTo("3");
    }

    @Test
    void reads_see_the_writes_of_the_interval_before_they_are_logged() {
        scripts.pipeInput("a=1 ?a a=2 ?a a= ?a");

        assertThat(reads.readValuesToList()).containsExactly("1", "2", "null");
    }

    @Test
    void a_key_read_as_absent_then_created_and_deleted_within_an_interval_is_never_logged() {
        scripts.pipeInput("?a a=1 a=2 a=");

        assertThat(changelog.readKeyValuesToList()).isEmpty();
    }

    @Test
    void a_delete_of_a_key_not_known_absent_is_logged() {
        scripts.pipeInput("a=1");
        scripts.pipeInput("a=2 a=");
        scripts.pipeInput("b=1 b=");

        assertThat(changelog.readKeyValuesToList()).containsExactly(KeyValue.pair("a", "1"),
                KeyValue.pair("a", null), KeyValue.pair("b", null));
    }

    @Test
    void a_key_read_as_absent_in_an_earlier_interval_is_asked_again() {
        scripts.pipeInput("?a");
        scripts.pipeInput("a=1 a=");

        assertThat(changelog.readKeyValuesToList()).containsExactly(KeyValue.pair("a", null));
    }

    @Test
    void a_range_scan_sees_the_writes_of_the_interval() {
        scripts.pipeInput("a=1 b=1");
        scripts.pipeInput("b= c=1 *");

        assertThat(reads.readValuesToList()).containsExactly("a=1,c=1");
    }

    @Test
    void more_keys_than_the_bound_are_written_out_before_the_commit() {
        scripts.pipeInput("a=1 b=1 c=1 d=1 e=1 ?f");

        // The fifth key passed the bound of four: a to e were written out then, in write order.
        assertThat(changelog.readKeyValuesToList()).containsExactly(KeyValue.pair("a", "1"), KeyValue.pair("b", "1"),
                KeyValue.pair("c", "1"), KeyValue.pair("d", "1"), KeyValue.pair("e", "1"));
    }

    /**
     * Runs a script of space-separated steps on the store, within one input record: {@code k=v} puts (an empty value
     * deletes), {@code ?k} reads and forwards the value, {@code *} forwards the whole store as {@code k=v,...}.
     */
    private static final class ScriptRunner implements Processor<String, String, String, String> {

        private ProcessorContext<String, String> context;
        private KeyValueStore<String, String> store;

        @Override
        public void init(final ProcessorContext<String, String> context) {
            this.context = context;
            this.store = context.getStateStore(STORE);
        }

        @Override
        public void process(final Record<String, String> record) {
            for (final String step : record.value().split(" ")) {
                if (step.startsWith("?")) {
                    context.forward(record.withValue(String.valueOf(store.get(step.substring(1)))));
                } else if (step.equals("*")) {
                    final List<String> all = new ArrayList<>();
                    try (KeyValueIterator<String, String> entries = store.all()) {
                        entries.forEachRemaining(entry -> all.add(entry.key + "=" + entry.value));
                    }
                    context.forward(record.withValue(String.join(",", all)));
                } else {
                    final String[] keyValue = step.split("=", 2);
                    store.put(keyValue[0], keyValue[1].isEmpty() ? null : keyValue[1]);
                }
            }
        }
    }
}
