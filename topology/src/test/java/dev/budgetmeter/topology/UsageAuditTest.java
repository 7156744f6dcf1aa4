package dev.budgetmeter.topology;

import static dev.budgetmeter.schemas.fixture.StreamEventFixture.chunk;
import static dev.budgetmeter.schemas.fixture.StreamEventFixture.end;
import static dev.budgetmeter.schemas.fixture.StreamEventFixture.reserve;
import static dev.budgetmeter.schemas.fixture.StreamEventFixture.usage;
import static dev.budgetmeter.topology.MeteringDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.budgetmeter.schemas.AuditKind;
import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.Commit;
import dev.budgetmeter.schemas.Outcome;
import dev.budgetmeter.schemas.StreamEvent;
import dev.budgetmeter.schemas.UsageCovered;
import dev.budgetmeter.schemas.fixture.StreamEventFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Chunks are not audited one by one: a live reservation's usage is audited at most once per punctuation interval and
 * at every transition, by a record naming the seq range and the count of the events it covers, so that every applied
 * event is accounted for by exactly one audit record.
 */
class UsageAuditTest {

    private final MeteringDriver meter = new MeteringDriver();

    @AfterEach
    void close() {
        meter.close();
    }

    @Test
    void chunks_of_a_live_stream_are_audited_once_per_punctuation_interval_with_their_range() {
        meter.send(reserve("r1", T0), chunk("r1", 1, T0, 10), chunk("r1", 2, T0, 20), chunk("r1", 3, T0, 30));
        assertThat(meter.auditKinds()).containsExactly(AuditKind.RESERVED);

        meter.advance(Duration.ofSeconds(1));

        final AuditRecord first = single(meter.audits());
        assertThat(first.getKind()).isEqualTo(AuditKind.USAGE_RECORDED);
        assertThat(first.getAuditId()).isEqualTo("r1:USAGE_RECORDED:1..3");
        assertThat(first.getUsage()).isEqualTo(new UsageCovered(1L, 3L, 3));
        assertThat(first.getSnapshot().getChunkTokensOutput()).isEqualTo(60);
        assertThat(first.getSnapshot().getUnauditedEvents()).isZero();

        meter.advance(Duration.ofSeconds(1));
        assertThat(meter.audits()).as("nothing new: no record").isEmpty();

        meter.send(chunk("r1", 4, T0 + 2_000, 5)).advance(Duration.ofSeconds(1));
        assertThat(single(meter.audits()).getUsage()).isEqualTo(new UsageCovered(4L, 4L, 1));
    }

    @Test
    void the_snapshot_is_written_on_transitions_and_a_chunk_writes_only_the_usage_record() {
        meter.send(reserve("r1", T0), chunk("r1", 1, T0, 10));

        assertThat(meter.usageRecord("r1").getChunkTokensOutput()).isEqualTo(10);
        assertThat(meter.reservation("r1").getChunkTokensOutput()).isEqualTo(10);

        meter.send(end("r1", 2, T0, Outcome.COMPLETED, null));

        assertThat(meter.usageRecord("r1")).as("deleted with the snapshot's write").isNull();
        assertThat(meter.reservation("r1").getChunkTokensOutput()).isEqualTo(10);
    }

    @Test
    void the_providers_totals_are_usage_too_audited_with_the_next_transition() {
        meter.send(reserve("r1", T0), chunk("r1", 1, T0, 10), usage("r1", 2, T0, 5, 12, null),
                end("r1", 3, T0, Outcome.COMPLETED, null));

        final List<AuditRecord> audits = meter.audits();
        assertThat(audits).extracting(AuditRecord::getKind).containsExactly(AuditKind.RESERVED,
                AuditKind.COMMITTED);
        assertThat(audits.get(1).getUsage()).isEqualTo(new UsageCovered(1L, 3L, 3));
        assertThat(audits.get(1).getSnapshot().getReportedUsage().getTokensOutput()).isEqualTo(12);
        assertThat(((Commit) single(meter.commands()).getBody()).getActual().getAmount())
                .isEqualTo(5 * StreamEventFixture.INPUT_PRICE + 12 * StreamEventFixture.OUTPUT_PRICE);
    }

    @Test
    void every_applied_event_is_accounted_for_by_exactly_one_audit_record() {
        final List<AuditRecord> audits = new ArrayList<>();
        meter.send(reserve("r1", T0), chunk("r1", 2, T0, 2), chunk("r1", 1, T0, 1));
        meter.advance(Duration.ofSeconds(1));
        audits.addAll(meter.audits());
        final StreamEvent again = chunk("r1", 2, T0, 2);
        meter.send(again, chunk("r1", 4, T0 + 1_000, 4), chunk("r1", 3, T0 + 1_000, 3));
        meter.advance(Duration.ofMillis(400));
        meter.send(chunk("r1", 5, T0 + 1_400, 5), end("r1", 6, T0 + 1_400, Outcome.COMPLETED, null));
        audits.addAll(meter.audits());

        final List<UsageCovered> covered = audits.stream().map(AuditRecord::getUsage).filter(Objects::nonNull)
                .toList();
        assertThat(covered).containsExactly(new UsageCovered(0L, 0L, 1), new UsageCovered(1L, 2L, 2),
                new UsageCovered(3L, 6L, 4));
        assertThat(audits).extracting(AuditRecord::getKind).containsExactly(AuditKind.RESERVED,
                AuditKind.USAGE_RECORDED, AuditKind.DUPLICATE_IGNORED, AuditKind.COMMITTED);
        assertThat(((Commit) single(meter.commands()).getBody()).getActual().getAmount())
                .isEqualTo(15 * StreamEventFixture.OUTPUT_PRICE);
    }

    private static <T> T single(final List<T> values) {
        assertThat(values).hasSize(1);
        return values.get(0);
    }
}
