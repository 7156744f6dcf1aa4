package dev.budgetmeter.reliability;

import dev.budgetmeter.reliability.support.WirePayloads;
import dev.budgetmeter.reliability.workload.StreamPlan;
import dev.budgetmeter.reliability.workload.WorkloadSubject;
import dev.budgetmeter.schemas.Action;
import dev.budgetmeter.schemas.Amount;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.Chunk;
import dev.budgetmeter.schemas.Commit;
import dev.budgetmeter.schemas.DeadLetterReason;
import dev.budgetmeter.schemas.Metrics;
import dev.budgetmeter.schemas.Pricing;
import dev.budgetmeter.schemas.Reserve;
import dev.budgetmeter.schemas.Settlement;
import dev.budgetmeter.schemas.SettlementCause;
import dev.budgetmeter.schemas.StreamEvent;
import dev.budgetmeter.schemas.Subject;
import dev.budgetmeter.schemas.Unit;
import dev.budgetmeter.schemas.fixture.StreamEventFixture;
import dev.budgetmeter.topics.Topic;
import dev.budgetmeter.topics.TopicRegistry;
import dev.budgetmeter.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The hostile inputs of scenario 5, each with the dead-letter reason the topology must give it: bytes that are not
 * the wire format, truncated Avro, an unknown schema id, a schema id of another subject, valid Avro with invalid
 * values (negative tokens, huge strings, a price out of range, ttl 0, a blank tenant, a key other than the
 * reservation id, seq 0 on a Chunk), a different Reserve under an open reservation, an orphan event, and a value near
 * the broker's message size limit. (A Usage priced in another unit is no longer one: its token counts are applied
 * and only its actual is ignored, which the topology's tests cover.)
 */
final class HostileRecords {

    /** Near the broker's default message.max.bytes (1,048,588): the value alone is 95% of it. */
    static final int NEAR_LIMIT_VALUE_BYTES = 1_000_000;

    /**
     * One hostile record.
     *
     * @param name     what is wrong with it
     * @param key      raw key bytes, or null
     * @param value    raw value bytes, or null
     * @param expected the reason its dead letter must carry
     */
    record Hostile(String name, byte[] key, byte[] value, DeadLetterReason expected) {
    }

    private final TopicRegistry topics;
    private final Topic<String, StreamEvent> input;
    private final Instant now;
    private final List<Hostile> records = new ArrayList<>();

    private HostileRecords(final TopicRegistry topics, final Instant now) {
        this.topics = topics;
        this.input = topics.topic(Topics.STREAM_EVENTS);
        this.now = now;
    }

    /**
     * @param victim an open good stream: a conflicting Reserve targets it
     */
    static List<Hostile> all(final TopicRegistry topics, final StreamPlan victim, final Instant now) {
        final HostileRecords build = new HostileRecords(topics, now);
        build.notTheWireFormat();
        build.badAvroAndSchemaIds();
        build.invalidValues();
        build.needingTheReservation(victim);
        return List.copyOf(build.records);
    }

    private void notTheWireFormat() {
        final Random random = new Random(5);
        for (final int size : new int[] {1, 17, 5_000}) {
            final byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            bytes[0] = 0x7f;
            add("random bytes (" + size + ")", "hostile-random-" + size, bytes, DeadLetterReason.UNDECODABLE);
        }
        add("empty value", "hostile-empty", new byte[0], DeadLetterReason.UNDECODABLE);
        add("null value (tombstone)", "hostile-tombstone", null, DeadLetterReason.UNDECODABLE);
    }

    private void badAvroAndSchemaIds() {
        final byte[] reserve = serialize(reserve("hostile-truncated", body -> { }));
        add("truncated Avro", "hostile-truncated", Arrays.copyOf(reserve, reserve.length / 2),
                DeadLetterReason.UNDECODABLE);
        final byte[] valid = serialize(reserve("hostile-unknown-id", body -> { }));
        add("unknown schema id", "hostile-unknown-id", WirePayloads.withSchemaId(valid, 1_999_999_999),
                DeadLetterReason.UNKNOWN_SCHEMA_ID);
        final Topic<String, BudgetCommand> commands = topics.topic(Topics.COMMANDS);
        final BudgetCommand command = BudgetCommand.newBuilder()
                .setCommandId("hostile-other-subject:commit").setReservationId("hostile-other-subject")
                .setIdempotencyKey("hostile-other-subject:commit").setIssuedAt(now)
                .setSubject(Subject.newBuilder().setTenant("acme").build())
                .setAction(new Action("llm.completion", "gpt-4o", List.of()))
                .setBody(new Commit(new Amount(Unit.USD_MICROCENTS, 1L), new Metrics(1L, 1L, 1L, null, Map.of()),
                        Settlement.COMPLETED, SettlementCause.COMPLETED))
                .build();
        add("schema id of another subject (a BudgetCommand)", "hostile-other-subject",
                commands.valueSerde().serializer().serialize(commands.name(), command), DeadLetterReason.WRONG_SCHEMA);
    }

    private void invalidValues() {
        add("negative tokens", "hostile-negative",
                serialize(StreamEventFixture.event("hostile-negative", 1, now.toEpochMilli(), new Chunk(-5L, 0L, 1))),
                DeadLetterReason.INVALID_EVENT);
        add("huge string (action name of 100,000 characters)", "hostile-huge",
                serialize(reserve("hostile-huge", body -> body.setAction(
                        new Action("llm.completion", "x".repeat(100_000), List.of())))),
                DeadLetterReason.INVALID_EVENT);
        add("ttl 0", "hostile-ttl", serialize(reserve("hostile-ttl", body -> body.setTtlMs(0))),
                DeadLetterReason.INVALID_EVENT);
        add("price per token out of range", "hostile-price", serialize(reserve("hostile-price",
                body -> body.setPricing(new Pricing(250L, 4_611_686_018_427_387_904L)))),
                DeadLetterReason.INVALID_EVENT);
        add("missing tenant (blank)", "hostile-tenant", serialize(reserve("hostile-tenant",
                body -> body.setSubject(Subject.newBuilder().setTenant(" ").build()))), DeadLetterReason.INVALID_EVENT);
        add("seq 0 on a Chunk", "hostile-seq", serialize(StreamEventFixture.event("hostile-seq", 0, now.toEpochMilli(),
                new Chunk(1L, 0L, 1))), DeadLetterReason.INVALID_EVENT);
        add("key different from the reservation id", "hostile-other-key",
                serialize(reserve("hostile-key", body -> { })), DeadLetterReason.KEY_MISMATCH);
        add("no key", null, serialize(reserve("hostile-no-key", body -> { })), DeadLetterReason.KEY_MISMATCH);
        records.add(new Hostile("key not UTF-8", new byte[] {(byte) 0xff, (byte) 0xfe},
                serialize(reserve("hostile-binary-key", body -> { })), DeadLetterReason.KEY_MISMATCH));
        final String big = "hostile-near-limit";
        final byte[] nearLimit = serialize(reserve(big, body -> body.setMetadata(
                Map.of("blob", "y".repeat(NEAR_LIMIT_VALUE_BYTES - 300)))));
        add("value near the broker's size limit (" + nearLimit.length + " bytes)", big, nearLimit,
                DeadLetterReason.INVALID_EVENT);
    }

    private void needingTheReservation(final StreamPlan victim) {
        final String id = victim.reservationId();
        final StreamEvent conflicting = StreamEventFixture.reserve(id, now.toEpochMilli(),
                WorkloadSubject.reserveBody(id, 1, 8_000).build());
        conflicting.setEventId(id + "#conflicting-reserve");
        add("a different Reserve under an open reservation", id, serialize(conflicting),
                DeadLetterReason.RESERVE_CONFLICT);
        add("event of a reservation that never opens", "hostile-orphan",
                serialize(StreamEventFixture.chunk("hostile-orphan", 1, now.toEpochMilli(), 3, 0)),
                        DeadLetterReason.ORPHAN);
    }

    private StreamEvent reserve(final String id, final Consumer<Reserve.Builder> change) {
        final Reserve.Builder body = WorkloadSubject.reserveBody(id, 1_000, 8_000);
        change.accept(body);
        return StreamEventFixture.reserve(id, now.toEpochMilli(), body.build());
    }

    private byte[] serialize(final StreamEvent event) {
        return input.valueSerde().serializer().serialize(input.name(), event);
    }

    private void add(final String name, final String key, final byte[] value, final DeadLetterReason expected) {
        records.add(new Hostile(name, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value, expected));
    }
}
