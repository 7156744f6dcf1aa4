package dev.budgetmeter.topology;

import dev.budgetmeter.topics.Topic;
import dev.budgetmeter.topics.TopicRegistry;
import dev.budgetmeter.topics.Topics;
import dev.budgetmeter.topology.decode.DeadLetters;
import dev.budgetmeter.topology.decode.EventDecoder;
import dev.budgetmeter.topology.decode.StreamEventValidator;
import dev.budgetmeter.topology.processing.DecodeProcessor;
import dev.budgetmeter.topology.processing.ReservationProcessorSupplier;
import dev.budgetmeter.topology.processing.Sinks;
import dev.budgetmeter.topology.processing.TaskRuntime;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;

/**
 * Builds the metering topology: a pure function from configuration to {@link Topology}, with no I/O.
 *
 * <pre>
 *  stream-events (bytes) -> decode -+-> dead-letters-sink  (what cannot be decoded)
 *                                   +-> lifecycle [reservations, deadlines, orphans] -+-> commands-sink
 *                                                                                     +-> audit-sink
 *                                                                                     +-> dead-letters-sink
 * </pre>
 *
 * Written with the Processor API so that each node hands every output straight to the sink of its topic: the decoder
 * and the lifecycle know what they produce, and nothing downstream tells kinds of records apart again. Every node is
 * named with a constant below so that processor, store and sink names survive refactors.
 */
public final class MeteringTopology {

    public static final String SOURCE = "stream-events-source";
    public static final String DECODE = "decode";
    public static final String LIFECYCLE = "lifecycle";
    public static final String COMMANDS_SINK = "commands-sink";
    public static final String AUDIT_SINK = "audit-sink";
    public static final String DEAD_LETTERS_SINK = "dead-letters-sink";

    private MeteringTopology() {
    }

    /** Builds the topology for a deployment's configuration, as a synchronous test driver runs it. */
    public static Topology build(final MeteringConfig config) {
        return build(config, TaskRuntime.caughtUp());
    }

    /** Builds the topology for a deployment's configuration, its tasks sharing {@code runtime} with the instance. */
    public static Topology build(final MeteringConfig config, final TaskRuntime runtime) {
        final TopicRegistry topics = TopicRegistry.create(config.topicPrefix(), config.serdeConfig());
        final Topic<?, ?> input = topics.topic(Topics.STREAM_EVENTS);
        final Topology topology = new Topology();
        topology.addSource(SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), input.name());
        topology.addProcessor(DECODE, () -> new DecodeProcessor(decoder(config, topics), LIFECYCLE, DEAD_LETTERS_SINK),
                SOURCE);
        topology.addProcessor(LIFECYCLE, new ReservationProcessorSupplier(config.taskSettings(), runtime,
                new Sinks(COMMANDS_SINK, AUDIT_SINK, DEAD_LETTERS_SINK)), DECODE);
        addSink(topology, COMMANDS_SINK, topics.topic(Topics.COMMANDS), LIFECYCLE);
        addSink(topology, AUDIT_SINK, topics.topic(Topics.AUDIT), LIFECYCLE);
        addSink(topology, DEAD_LETTERS_SINK, topics.topic(Topics.DEAD_LETTERS), DECODE, LIFECYCLE);
        return topology;
    }

    /** One per processor: a deserializer is not shared between stream threads. */
    private static EventDecoder decoder(final MeteringConfig config, final TopicRegistry topics) {
        return new EventDecoder(topics.topic(Topics.STREAM_EVENTS).valueSerde().deserializer(),
                new StreamEventValidator(), new DeadLetters(config.deadLetterMaxValueBytes()));
    }

    private static <V> void addSink(final Topology topology, final String name, final Topic<String, V> topic,
                                    final String... parents) {
        topology.addSink(name, topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer(), parents);
    }
}
