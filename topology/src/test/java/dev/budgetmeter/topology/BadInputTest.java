package dev.budgetmeter.topology;

import static dev.budgetmeter.schemas.fixture.StreamEventFixture.chunk;
import static dev.budgetmeter.schemas.fixture.StreamEventFixture.end;
import static dev.budgetmeter.schemas.fixture.StreamEventFixture.reserve;
import static dev.budgetmeter.schemas.fixture.StreamEventFixture.usage;
import static dev.budgetmeter.topology.MeteringDriver.T0;
import static dev.budgetmeter.topology.SettlementTest.single;
import static org.assertj.core.api.Assertions.assertThat;

import dev.budgetmeter.schemas.Amount;
import dev.budgetmeter.schemas.AuditKind;
import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.Commit;
import dev.budgetmeter.schemas.DeadLetter;
import dev.budgetmeter.schemas.DeadLetterReason;
import dev.budgetmeter.schemas.IgnoredField;
import dev.budgetmeter.schemas.Outcome;
import dev.budgetmeter.schemas.Pricing;
import dev.budgetmeter.schemas.StreamEvent;
import dev.budgetmeter.schemas.Subject;
import dev.budgetmeter.schemas.Unit;
import dev.budgetmeter.schemas.fixture.StreamEventFixture;
import dev.budgetmeter.topology.rules.FieldLimits;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rule 9: bad input never crashes the application and never vanishes; it is dead-lettered with a reason. */
class BadInputTest {

    private final MeteringDriver meter = new MeteringDriver(Map.of(MeteringConfig.DEAD_LETTER_MAX_VALUE_BYTES_CONFIG, 4096));

    @AfterEach
    void close() {
        meter.close();
    }

    private static byte[] key(final String id) {
        return id.getBytes(StandardCharsets.UTF_8);
    }

    private DeadLetter onlyDeadLetter() {
        return single(meter.deadLetters());
    }

    @Test
    void bytes_that_are_not_the_wire_format_are_undecodable() {
        final byte[] garbage = {42, 1, 2, 3, 4, 5, 6};
        meter.sendRaw(key("r1"), garbage);

        final DeadLetter deadLetter = onlyDeadLetter();
        assertThat(deadLetter.getReason()).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(deadLetter.getErrorMessage()).containsIgnoringCase("magic");
        assertThat(deadLetter.getValue().array()).isEqualTo(garbage);
        assertThat(deadLetter.getKey().array()).isEqualTo(key("r1"));
        assertThat(deadLetter.getSourceTopic()).isEqualTo("budget.stream-events");
        assertThat(deadLetter.getErrorClass()).isNotNull();
    }

    @Test
    void truncated_avro_is_undecodable() {
        final byte[] whole = meter.serialize(reserve("r1", T0));
        meter.sendRaw(key("r1"), Arrays.copyOf(whole, whole.length / 2));

        assertThat(onlyDeadLetter().getReason()).isEqualTo(DeadLetterReason.UNDECODABLE);
    }

    @Test
    void an_unknown_schema_id_is_reported_as_such() {
        meter.sendRaw(key("r1"), new byte[] {0, 0, 0, 0x7f, 0x7f, 2, 4, 6});

        final DeadLetter deadLetter = onlyDeadLetter();
        assertThat(deadLetter.getReason()).isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA_ID);
        assertThat(deadLetter.getErrorMessage()).contains(String.valueOf(0x7f7f));
    }

    @Test
    void a_schema_of_another_record_type_is_the_wrong_schema() {
        final AuditRecord notAnEvent = AuditRecord.newBuilder().setAuditId("a").setReservationId("r1")
                .setAt(Instant.ofEpochMilli(T0)).setKind(AuditKind.RESERVED).build();
        meter.sendRaw(key("r1"), meter.serializeAsInput(notAnEvent));

        assertThat(onlyDeadLetter().getReason()).isEqualTo(DeadLetterReason.WRONG_SCHEMA);
    }

    @Test
    void a_key_other_than_the_reservation_id_is_a_key_mismatch() {
        meter.sendWithKey("someone-else", reserve("r1", T0));
        meter.sendRaw(null, meter.serialize(reserve("r2", T0)));

        assertThat(meter.deadLetters()).extracting(DeadLetter::getReason)
                .containsExactly(DeadLetterReason.KEY_MISMATCH, DeadLetterReason.KEY_MISMATCH);
        assertThat(meter.reservation("r1")).isNull();
    }

    @Test
    void values_outside_the_protocol_limits_are_invalid_events_naming_the_field() {
        meter.send(reserve("r1", T0, body -> body.setTtlMs(0L)),
                reserve("r2", T0, body -> body.setSubject(Subject.newBuilder().setTenant(" ").build())),
                reserve("r3", T0, body -> body.setIdempotencyKey("k".repeat(300))),
                reserve("r4", T0), chunk("r4", 1, T0, -5),
                StreamEventFixture.event("r5", 3, T0, reserve("r5", T0).getBody()));

        assertThat(meter.deadLetters()).extracting(DeadLetter::getReason).hasSize(5)
                .containsOnly(DeadLetterReason.INVALID_EVENT);
        meter.send(reserve("r6", T0, body -> body.setTtlMs(0L)));
        assertThat(onlyDeadLetter().getErrorMessage()).contains("Reserve.ttl_ms is 0, outside 1000..86400000");
        meter.send(chunk("r4", 2, T0, -5));
        assertThat(onlyDeadLetter().getErrorMessage()).contains("Chunk.tokens_output is -5");
        meter.send(reserve("r7", T0, body -> body.setSubject(Subject.newBuilder().setTenant("").build())));
        assertThat(onlyDeadLetter().getErrorMessage()).contains("tenant is missing");
    }

    @Test
    void usage_priced_in_another_unit_keeps_its_token_counts_and_only_its_actual_is_ignored() {
        meter.send(reserve("r1", T0), usage("r1", 1, T0, 10, 10, new Amount(Unit.TOKENS, 2L)),
                end("r1", 2, T0, Outcome.COMPLETED, null));

        assertThat(meter.deadLetters()).isEmpty();
        final Commit commit = (Commit) single(meter.commands()).getBody();
        assertThat(commit.getActual().getAmount()).as("the provider's tokens, priced").isEqualTo(10 * 250 + 10 * 1_000L);
        final AuditRecord recorded = meter.audits().get(1);
        assertThat(recorded.getKind()).isEqualTo(AuditKind.USAGE_RECORDED);
        assertThat(recorded.getIgnored()).singleElement().satisfies(ignored -> {
            assertThat(ignored.getField()).isEqualTo("Usage.actual");
            assertThat(ignored.getReason()).contains("TOKENS").contains("USD_MICROCENTS");
        });
    }

    @Test
    void fields_that_do_not_decide_the_charge_are_ignored_alone_when_out_of_bounds() {
        meter.send(reserve("r1", T0, body -> body.setMetadata(Map.of("note", "x".repeat(5_000)))),
                usage("r1", 1, T0, 1, 1, new Amount(Unit.USD_MICROCENTS, FieldLimits.MAX_AMOUNT + 1)),
                end("r1", 2, T0, Outcome.FAILED, "r".repeat(1_000)));

        assertThat(meter.deadLetters()).isEmpty();
        assertThat(meter.commands()).singleElement().satisfies(command ->
                assertThat(((Commit) command.getBody()).getActual().getAmount()).isEqualTo(1_250));
        assertThat(meter.audits()).flatExtracting(AuditRecord::getIgnored).extracting(IgnoredField::getField)
                .containsExactly("Reserve.metadata", "Usage.actual", "End.reason");
        assertThat(meter.reservation("r1").getMetadata()).isEmpty();
    }

    @Test
    void prices_and_the_estimate_are_bounded_and_an_estimate_of_zero_is_legal() {
        meter.send(reserve("r1", T0, body -> body.setPricing(new Pricing(250L, 4_611_686_018_427_387_904L))));
        assertThat(onlyDeadLetter().getErrorMessage())
                .contains("Reserve.pricing.output_token_price is 4611686018427387904, outside 0..100000000");
        meter.send(reserve("r2", T0, body -> body.setEstimate(new Amount(Unit.USD_MICROCENTS, Long.MAX_VALUE))));
        assertThat(onlyDeadLetter().getErrorMessage()).contains("Reserve.estimate.amount");

        meter.send(reserve("r3", T0, body -> body.setEstimate(new Amount(Unit.USD_MICROCENTS, 0L))),
                chunk("r3", 1, T0, 3), end("r3", 2, T0, Outcome.COMPLETED, null));
        assertThat(meter.deadLetters()).isEmpty();
        final Commit commit = (Commit) single(meter.commands()).getBody();
        assertThat(commit.getActual().getAmount()).isEqualTo(3_000);
        assertThat(meter.reservation("r3").getOverage().getAmount()).isEqualTo(3_000);
    }

    @Test
    void a_huge_value_is_dead_lettered_cut_to_the_limit_with_its_original_size() {
        final byte[] huge = new byte[100_000];
        huge[0] = 9;
        meter.sendRaw(key("r1"), huge);

        final DeadLetter deadLetter = onlyDeadLetter();
        assertThat(deadLetter.getValue().remaining()).isEqualTo(4096);
        assertThat(deadLetter.getValueTruncatedFrom()).isEqualTo(100_000);
    }

    @Test
    void an_event_larger_than_any_valid_one_is_invalid_whatever_its_fields() {
        meter.send(reserve("r1", T0, body -> body.setMetadata(Map.of("blob", "y".repeat(200_000)))));

        final DeadLetter deadLetter = onlyDeadLetter();
        assertThat(deadLetter.getReason()).isEqualTo(DeadLetterReason.INVALID_EVENT);
        assertThat(deadLetter.getErrorMessage()).contains("at most " + FieldLimits.MAX_EVENT_BYTES);
        assertThat(meter.reservation("r1")).isNull();
    }

    @Test
    void good_events_keep_flowing_between_bad_ones() {
        meter.sendRaw(key("r1"), new byte[] {1});
        meter.send(reserve("r1", T0));
        meter.sendRaw(key("r1"), null);
        meter.send(end("r1", 1, T0, Outcome.COMPLETED, null));

        assertThat(meter.deadLetters()).extracting(DeadLetter::getReason)
                .containsExactly(DeadLetterReason.UNDECODABLE, DeadLetterReason.UNDECODABLE);
        assertThat(meter.commands()).hasSize(1);
        assertThat(meter.metricsOf("dead-letters-total")).hasSize(1);
    }
}
