package dev.budgetmeter.topology;

import static dev.budgetmeter.schemas.fixture.StreamEventFixture.chunk;
import static dev.budgetmeter.schemas.fixture.StreamEventFixture.end;
import static dev.budgetmeter.schemas.fixture.StreamEventFixture.reserve;
import static dev.budgetmeter.topology.MeteringDriver.T0;
import static dev.budgetmeter.topology.SettlementTest.single;
import static org.assertj.core.api.Assertions.assertThat;

import dev.budgetmeter.schemas.Commit;
import dev.budgetmeter.schemas.DeadLetter;
import dev.budgetmeter.schemas.DeadLetterReason;
import dev.budgetmeter.schemas.Outcome;
import dev.budgetmeter.schemas.fixture.StreamEventFixture;
import dev.budgetmeter.topics.TenantTopics;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * With {@code metering.tenant.topics}, the topic an event was read from names the tenant that wrote it: events of a
 * tenant's own reservations are metered as ever, and no event read from one tenant's topic reaches another tenant's
 * reservation, Reserve, later event or orphan alike.
 */
class TenantTopicsTest {

    private static final String ACME = TenantTopics.name("budget.", "acme");
    private static final String GLOBEX = TenantTopics.name("budget.", "globex");

    private final MeteringDriver meter = new MeteringDriver(Map.of(MeteringConfig.TENANT_TOPICS_CONFIG, true,
            MeteringConfig.ORPHAN_TIMEOUT_MS_CONFIG, 60_000L));

    @AfterEach
    void close() {
        meter.close();
    }

    @Test
    void a_tenants_events_in_its_own_topic_are_metered_as_ever() {
        meter.sendTo(ACME, reserve("r1", T0), chunk("r1", 1, T0 + 10, 40), end("r1", 2, T0 + 20, Outcome.COMPLETED,
                null));

        assertThat(single(meter.commands()).getBody()).isInstanceOf(Commit.class);
        assertThat(meter.deadLetters()).isEmpty();
    }

    @Test
    void a_reserve_for_another_tenant_in_a_tenants_topic_is_dead_lettered_and_opens_nothing() {
        meter.sendTo(GLOBEX, reserve("r1", T0));

        final DeadLetter deadLetter = single(meter.deadLetters());
        assertThat(deadLetter.getReason()).isEqualTo(DeadLetterReason.TENANT_MISMATCH);
        assertThat(deadLetter.getSourceTopic()).isEqualTo(GLOBEX);
        assertThat(deadLetter.getErrorMessage()).contains("'globex'").contains("'acme'");
        assertThat(meter.reservation("r1")).isNull();
        assertThat(meter.commands()).isEmpty();
    }

    @Test
    void events_for_another_tenants_reservation_are_dead_lettered_and_its_commit_counts_only_its_own_usage() {
        meter.sendTo(ACME, reserve("victim", T0), chunk("victim", 1, T0 + 10, 40));

        meter.sendTo(GLOBEX, chunk("victim", 2, T0 + 20, 9_000), end("victim", 3, T0 + 30, Outcome.FAILED, null));

        assertThat(meter.deadLetters()).hasSize(2)
                .allSatisfy(letter -> assertThat(letter.getReason()).isEqualTo(DeadLetterReason.TENANT_MISMATCH));
        assertThat(meter.commands()).as("the stream is still live: nothing settled it").isEmpty();
        meter.sendTo(ACME, end("victim", 2, T0 + 40, Outcome.COMPLETED, null));
        final Commit commit = (Commit) single(meter.commands()).getBody();
        assertThat(meter.reservation("victim").getChunkTokensOutput()).isEqualTo(40);
        assertThat(commit.getActual().getAmount()).isEqualTo(40 * StreamEventFixture.OUTPUT_PRICE);
    }

    @Test
    void an_orphan_from_another_tenants_topic_is_dead_lettered_when_the_reserve_arrives() {
        meter.sendTo(GLOBEX, chunk("r1", 1, T0, 9_000));
        meter.sendTo(ACME, chunk("r1", 2, T0 + 5, 30));
        assertThat(meter.deadLetters()).as("held, waiting for the Reserve").isEmpty();

        meter.sendTo(ACME, reserve("r1", T0 + 10));

        final DeadLetter deadLetter = single(meter.deadLetters());
        assertThat(deadLetter.getReason()).isEqualTo(DeadLetterReason.TENANT_MISMATCH);
        assertThat(deadLetter.getSourceTopic()).isEqualTo(GLOBEX);
        assertThat(meter.reservation("r1").getChunkTokensOutput()).as("acme's own orphan applied").isEqualTo(30);
        meter.advance(Duration.ofMinutes(2));
        assertThat(meter.deadLetters()).as("nothing else is left waiting").isEmpty();
    }
}
