package dev.budgetmeter.topology.decode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.budgetmeter.registry.MockSchemaRegistry;
import dev.budgetmeter.schemas.Action;
import dev.budgetmeter.schemas.Amount;
import dev.budgetmeter.schemas.Chunk;
import dev.budgetmeter.schemas.DeadLetterReason;
import dev.budgetmeter.schemas.End;
import dev.budgetmeter.schemas.Outcome;
import dev.budgetmeter.schemas.ProducerInfo;
import dev.budgetmeter.schemas.Reserve;
import dev.budgetmeter.schemas.StreamEvent;
import dev.budgetmeter.schemas.Subject;
import dev.budgetmeter.schemas.Unit;
import dev.budgetmeter.schemas.Usage;
import dev.budgetmeter.topics.TopicRegistry;
import dev.budgetmeter.topology.rules.FieldLimits;
import dev.budgetmeter.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Properties of the decoder and validator over generated input: whatever the bytes, decoding never throws and every
 * rejection carries the original bytes and a reason; a valid event survives the wire unchanged; an event is accepted
 * exactly when its values are inside the protocol's limits. Tries are bounded so the suite stays fast.
 */
class EventDecoderProperties {

    private static final String SCOPE = "decoder-properties";
    private static final String TOPIC = Topics.STREAM_EVENTS.name(Topics.DEFAULT_PREFIX);
    private static final Set<DeadLetterReason> DECODE_REASONS = EnumSet.of(DeadLetterReason.UNDECODABLE,
            DeadLetterReason.UNKNOWN_SCHEMA_ID, DeadLetterReason.WRONG_SCHEMA, DeadLetterReason.KEY_MISMATCH,
            DeadLetterReason.INVALID_EVENT);

    private static final TopicRegistry TOPICS =
            TopicRegistry.create(Topics.DEFAULT_PREFIX, Map.of("schema.registry.url", "mock://" + SCOPE));
    private static final Serializer<StreamEvent> SERIALIZER =
            TOPICS.topic(Topics.STREAM_EVENTS).valueSerde().serializer();
    private static final EventDecoder DECODER = new EventDecoder(
            TOPICS.topic(Topics.STREAM_EVENTS).valueSerde().deserializer(), new StreamEventValidator(),
            new DeadLetters(1_024));

    @AfterContainer
    static void dropRegistry() {
        MockSchemaRegistry.drop(SCOPE);
    }

    @Property(tries = 500)
    void arbitrary_bytes_never_throw_and_every_rejection_keeps_the_bytes(
            @ForAll @Size(max = 64) final byte[] key, @ForAll @Size(max = 2_048) final byte[] value) {
        final Decoded decoded = DECODER.decode(source(key, value), 1L);

        if (decoded instanceof Decoded.Rejected rejected) {
            assertThat(DECODE_REASONS).contains(rejected.deadLetter().getReason());
            assertThat(rejected.deadLetter().getErrorMessage()).isNotBlank();
            if (value.length <= 1_024) {
                assertThat(rejected.deadLetter().getValue().array()).isEqualTo(value);
            }
        }
    }

    @Property(tries = 300)
    void a_valid_event_comes_through_the_wire_unchanged(@ForAll("validEvents") final StreamEvent event) {
        final Decoded decoded = DECODER.decode(source(key(event), SERIALIZER.serialize(TOPIC, event)), 1L);

        assertThat(decoded).isInstanceOf(Decoded.Accepted.class);
        assertThat(((Decoded.Accepted) decoded).event().event()).isEqualTo(event);
    }

    @Property(tries = 300)
    void a_valid_event_with_one_byte_changed_never_throws(@ForAll("validEvents") final StreamEvent event,
                                                          @ForAll @IntRange(min = 0, max = 10_000) final int position,
                                                          @ForAll final byte replacement) {
        final byte[] bytes = SERIALIZER.serialize(TOPIC, event);
        bytes[position % bytes.length] = replacement;

        final Decoded decoded = DECODER.decode(source(key(event), bytes), 1L);

        if (decoded instanceof Decoded.Accepted accepted) {
            assertThat(new StreamEventValidator().validate(accepted.reservationId(), accepted.event().event()))
                    .isEmpty();
        }
    }

    @Property(tries = 500)
    void an_event_is_accepted_exactly_when_its_numbers_are_inside_the_limits(
            @ForAll("anyNumbers") final Numbers numbers) {
        final StreamEvent reserve = event("r", 0, reserve(numbers.ttl(), numbers.grace(), numbers.estimate()));
        final StreamEvent chunk = event("r", numbers.seq(), new Chunk(numbers.tokens(), 0L, numbers.chunks()));

        assertThat(accepted(reserve)).isEqualTo(numbers.ttl() >= 1_000 && numbers.ttl() <= 86_400_000
                && numbers.grace() >= 0 && numbers.grace() <= 60_000 && numbers.estimate() >= 0
                && numbers.estimate() <= FieldLimits.MAX_AMOUNT);
        assertThat(accepted(chunk)).isEqualTo(numbers.seq() >= 1 && numbers.tokens() >= 0
                && numbers.tokens() <= FieldLimits.MAX_TOKENS && numbers.chunks() >= 1);
    }

    /** Numbers around the protocol's limits. */
    record Numbers(long ttl, long grace, long estimate, long seq, long tokens, int chunks) {
    }

    @Provide
    Arbitrary<Numbers> anyNumbers() {
        final Arbitrary<Long> edgy = Arbitraries.oneOf(
                Arbitraries.longs().between(-5, 5),
                Arbitraries.longs().between(900, 1_100),
                Arbitraries.longs().between(59_990, 60_010),
                Arbitraries.longs().between(86_399_990, 86_400_010),
                Arbitraries.longs().between(FieldLimits.MAX_AMOUNT - 5, FieldLimits.MAX_AMOUNT + 5),
                Arbitraries.longs());
        return Combinators.combine(edgy, edgy, edgy, edgy, edgy, Arbitraries.integers().between(-2, 3))
                .as(Numbers::new);
    }

    @Provide
    Arbitrary<StreamEvent> validEvents() {
        final Arbitrary<String> ids = Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(40);
        final Arbitrary<Long> tokens = Arbitraries.longs().between(0, 1_000_000);
        final Arbitrary<Object> bodies = Arbitraries.oneOf(
                Combinators.combine(Arbitraries.longs().between(1_000, 86_400_000), Arbitraries.longs().between(0, 60_000),
                        Arbitraries.longs().between(0, FieldLimits.MAX_AMOUNT))
                        .as((ttl, grace, estimate) -> reserve(ttl, grace, estimate)),
                Combinators.combine(tokens, tokens, Arbitraries.integers().between(1, 100)).as(Chunk::new),
                Combinators.combine(tokens, tokens).as((in, out) -> new Usage(in, out,
                        new Amount(Unit.USD_MICROCENTS, in * 250 + out * 1_000), "model", Map.of())),
                Arbitraries.of(Outcome.class).map(outcome -> new End(outcome, null)));
        return Combinators.combine(ids, bodies, Arbitraries.longs().between(1, 1_000_000))
                .as((id, body, seq) -> event(id, body instanceof Reserve ? 0 : seq, body));
    }

    private static boolean accepted(final StreamEvent event) {
        return DECODER.decode(source(key(event), SERIALIZER.serialize(TOPIC, event)), 1L) instanceof Decoded.Accepted;
    }

    private static Reserve reserve(final long ttl, final long grace, final long estimate) {
        return Reserve.newBuilder()
                .setIdempotencyKey("key")
                .setSubject(Subject.newBuilder().setTenant("acme").build())
                .setAction(new Action("llm.completion", "gpt-4o", List.of()))
                .setEstimate(new Amount(Unit.USD_MICROCENTS, estimate))
                .setTtlMs(ttl)
                .setGracePeriodMs(grace)
                .build();
    }

    private static StreamEvent event(final String id, final long seq, final Object body) {
        return StreamEvent.newBuilder().setEventId(id + "#" + seq).setReservationId(id).setSeq(seq)
                .setOccurredAt(Instant.ofEpochMilli(1_700_000_000_000L))
                .setProducer(new ProducerInfo("worker", "test/0")).setBody(body).build();
    }

    private static byte[] key(final StreamEvent event) {
        return event.getReservationId().getBytes(StandardCharsets.UTF_8);
    }

    private static SourceRecord source(final byte[] key, final byte[] value) {
        return new SourceRecord(TOPIC, 0, 0L, 1L, key, value);
    }
}
