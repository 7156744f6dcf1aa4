package dev.budgetmeter.topology;

import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.DeadLetter;
import dev.budgetmeter.topics.Topic;
import dev.budgetmeter.topics.TopicRegistry;
import dev.budgetmeter.topics.Topics;
import dev.budgetmeter.topology.decode.DeadLetters;
import dev.budgetmeter.topology.decode.Decoded;
import dev.budgetmeter.topology.decode.EventDecoder;
import dev.budgetmeter.topology.decode.StreamEventValidator;
import dev.budgetmeter.topology.lifecycle.Emission;
import dev.budgetmeter.topology.processing.DecodeProcessor;
import dev.budgetmeter.topology.processing.ReservationProcessorSupplier;
import dev.budgetmeter.topology.processing.TaskRuntime;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Builds the metering topology: a pure function from configuration to {@link Topology}, with no I/O.
 *
 * <pre>
 *  stream-events (bytes) -> decode -+-> rejected ---------------------------------------------> dead-letters
 *                                   +-> accepted -> lifecycle [reservations, deadlines, orphans] -+-> commands
 *                                                                                                 +-> audit
 *                                                                                                 +-> dead-letters
 * </pre>
 *
 * Every operator is named with a constant below so that processor, store and internal topic names survive refactors.
 */
public final class MeteringTopology {

    public static final String SOURCE = "stream-events-source";
    public static final String DECODE = "decode";
    public static final String DECODED = "decoded-";
    public static final String ACCEPTED = "accepted";
    public static final String REJECTED = "rejected";
    public static final String LIFECYCLE = "lifecycle";
    public static final String EMITTED = "emitted-";
    public static final String COMMANDS = "commands";
    public static final String AUDIT = "audit";
    public static final String DEAD_LETTERS = "dead-letters";
    public static final String INPUT_DEAD_LETTERS = "input-dead-letters";

    private MeteringTopology() {
    }

    /** Builds the topology for a deployment's configuration, as a synchronous test driver runs it. */
    public static Topology build(final MeteringConfig config) {
        return build(config, TaskRuntime.caughtUp());
    }

    /** Builds the topology for a deployment's configuration, its tasks sharing {@code runtime} with the instance. */
    public static Topology build(final MeteringConfig config, final TaskRuntime runtime) {
        final TopicRegistry topics = TopicRegistry.create(config.topicPrefix(), config.serdeConfig());
        final StreamsBuilder builder = new StreamsBuilder();

        final KStream<String, Decoded> decoded = builder
                .stream(topics.name(Topics.STREAM_EVENTS),
                        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(SOURCE))
                .process(() -> new DecodeProcessor(decoder(config, topics)), Named.as(DECODE));

        final Map<String, KStream<String, Decoded>> byOutcome = decoded.split(Named.as(DECODED))
                .branch((key, value) -> value instanceof Decoded.Accepted, Branched.as(ACCEPTED))
                .defaultBranch(Branched.as(REJECTED));

        final Topic<String, DeadLetter> deadLetters = topics.topic(Topics.DEAD_LETTERS);
        byOutcome.get(DECODED + REJECTED)
                .mapValues(value -> ((Decoded.Rejected) value).deadLetter(), Named.as(INPUT_DEAD_LETTERS))
                .to(deadLetters.name(), produced(deadLetters, INPUT_DEAD_LETTERS + "-sink"));

        final KStream<String, Emission> emitted = byOutcome.get(DECODED + ACCEPTED)
                .mapValues(value -> ((Decoded.Accepted) value).event(), Named.as(ACCEPTED + "-events"))
                .process(new ReservationProcessorSupplier(config.taskSettings(), runtime), Named.as(LIFECYCLE));

        final Topic<String, BudgetCommand> commands = topics.topic(Topics.COMMANDS);
        final Topic<String, AuditRecord> audit = topics.topic(Topics.AUDIT);
        emitted.split(Named.as(EMITTED))
                .branch((key, value) -> value instanceof Emission.Command, Branched.withConsumer(stream -> stream
                        .mapValues(value -> ((Emission.Command) value).command(), Named.as(COMMANDS))
                        .to(commands.name(), produced(commands, COMMANDS + "-sink")), COMMANDS))
                .branch((key, value) -> value instanceof Emission.Audit, Branched.withConsumer(stream -> stream
                        .mapValues(value -> ((Emission.Audit) value).audit(), Named.as(AUDIT))
                        .to(audit.name(), produced(audit, AUDIT + "-sink")), AUDIT))
                .defaultBranch(Branched.withConsumer(stream -> stream
                        .mapValues(value -> ((Emission.Rejected) value).deadLetter(), Named.as(DEAD_LETTERS))
                        .to(deadLetters.name(), produced(deadLetters, DEAD_LETTERS + "-sink")), DEAD_LETTERS));

        return builder.build();
    }

    private static EventDecoder decoder(final MeteringConfig config, final TopicRegistry topics) {
        return new EventDecoder(topics.topic(Topics.STREAM_EVENTS).valueSerde().deserializer(),
                new StreamEventValidator(), new DeadLetters(config.deadLetterMaxValueBytes()));
    }

    private static <V> Produced<String, V> produced(final Topic<String, V> topic, final String name) {
        return Produced.with(topic.keySerde(), topic.valueSerde()).withName(name);
    }
}
