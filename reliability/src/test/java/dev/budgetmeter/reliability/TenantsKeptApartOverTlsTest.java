package dev.budgetmeter.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.budgetmeter.localstack.LocalKafkaCluster;
import dev.budgetmeter.localstack.junit.WithKafkaCluster;
import dev.budgetmeter.reliability.check.LedgerCheck;
import dev.budgetmeter.reliability.check.PlannedTerminals;
import dev.budgetmeter.reliability.check.Recovery;
import dev.budgetmeter.reliability.check.ScenarioChecks;
import dev.budgetmeter.reliability.check.ScenarioFigures;
import dev.budgetmeter.reliability.support.ChildApp;
import dev.budgetmeter.reliability.support.ChildApps;
import dev.budgetmeter.reliability.support.ScenarioDeployment;
import dev.budgetmeter.reliability.workload.EventSender;
import dev.budgetmeter.reliability.workload.LoadDriver;
import dev.budgetmeter.reliability.workload.ProducerTruth;
import dev.budgetmeter.reliability.workload.StreamPlan;
import dev.budgetmeter.reliability.workload.Workload;
import dev.budgetmeter.reliability.workload.WorkloadSubject;
import dev.budgetmeter.schemas.DeadLetter;
import dev.budgetmeter.schemas.DeadLetterReason;
import dev.budgetmeter.schemas.Outcome;
import dev.budgetmeter.schemas.StreamEvent;
import dev.budgetmeter.schemas.fixture.StreamEventFixture;
import dev.budgetmeter.topics.TenantTopics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 14: tenants kept apart, every party over SASL_SSL. The deployment reads per-tenant input topics
 * ({@code metering.tenant.topics}); acme's worker streams as usual while globex's worker, which may write globex's
 * topic alone, attacks acme's live reservations: it is refused by the brokers when it writes acme's topic, and what
 * it writes to its own topic (chunks of huge usage and early Ends for acme's reservations, a Reserve claiming to be
 * acme's) is dead-lettered as TENANT_MISMATCH, every record of it. Acme's streams settle once each, charged exactly
 * what acme's worker reported: no forged event was metered, no forged End cut a stream short (a timer may settle a
 * stream only where a loaded machine stalls the application past a hold; the figures count them). The application
 * runs as its topology principal under its ACLs alone, exactly-once, and no log shows a password.
 */
@WithKafkaCluster
class TenantsKeptApartOverTlsTest {

    private static final String VICTIM = "acme";
    private static final String INTRUDER = "globex";
    private static final String FORGED_PREFIX = "tenants-forged-";

    @RegisterExtension
    final ChildApps children = new ChildApps();

    private final LocalKafkaCluster cluster;

    TenantsKeptApartOverTlsTest(final LocalKafkaCluster cluster) {
        this.cluster = cluster;
    }

    @Test
    void a_worker_of_one_tenant_cannot_get_an_event_metered_for_another(@TempDir final Path stateDir)
            throws Exception {
        final long started = System.nanoTime();
        final ScenarioDeployment deployment = ScenarioDeployment.onCluster(cluster, "tenants",
                List.of(VICTIM, INTRUDER), true);
        final ChildApp app = children.start("tenants", "app", deployment.meteringSettings(stateDir))
                .awaitReady(ClusterScenario.READY_BOUND);
        final Workload workload = Workload.mixed("tenants", 100, 5, 10, 40, ClusterScenario.TTL_MS, 13L);
        final List<String> victims = workload.plans().stream().map(StreamPlan::reservationId)
                .filter(id -> id.contains("-long")).toList();

        try (EventSender victim = deployment.tenantSender(VICTIM);
             EventSender intruder = deployment.tenantSender(INTRUDER);
             EventSender trespasser = deployment.tenantSenderTo(INTRUDER, deployment.topics().tenantInput(VICTIM));
             LoadDriver load = LoadDriver.start(workload, victim, ClusterScenario.TICK)) {
            await("acme's streams under way").atMost(Duration.ofSeconds(30)).until(() -> load.ticks() >= 8);

            trespasser.sendAll(forgeries(victims.subList(0, 2)));
            trespasser.flush();
            assertThat(trespasser.acknowledged()).as("globex writing acme's topic").isEmpty();
            assertThat(trespasser.failures()).isNotEmpty()
                    .allSatisfy(failure -> assertThat(failure).contains(TopicAuthorizationException.class.getName()));

            final List<StreamEvent> forged = forgeries(victims);
            intruder.sendAll(forged);
            intruder.flush();
            assertThat(intruder.failures()).as("globex may write its own topic").isEmpty();
            load.awaitFinished(ClusterScenario.LOAD_BOUND);
            assertThat(victim.failures()).isEmpty();

            final ProducerTruth truth = ProducerTruth.of(victim.acknowledged());
            final LedgerCheck.Outcome outcome = ScenarioChecks.awaitSpendAndTerminals(deployment.ledgerReader(),
                    truth, workload.plans(), true, ClusterScenario.SETTLE_BOUND);
            final List<DeadLetter> deadLetters = outcome.snapshot().deadLetters();
            assertThat(deadLetters).as("one dead letter per forged record").hasSize(forged.size())
                    .allSatisfy(letter -> {
                        assertThat(letter.getReason()).isEqualTo(DeadLetterReason.TENANT_MISMATCH);
                        assertThat(letter.getSourceTopic())
                                .isEqualTo(TenantTopics.name(deployment.prefix(), INTRUDER));
                    });
            assertThat(outcome.snapshot().audits()).as("the forged Reserve opened nothing")
                    .noneMatch(audit -> audit.getReservationId().startsWith(FORGED_PREFIX));
            final PlannedTerminals terminals = PlannedTerminals.compare(outcome.snapshot(), workload.plans(), true);
            assertThat(terminals.problems()).isEmpty();
            assertNoLogShowsASecret(deployment, app);

            ScenarioFigures.of("14. tenants kept apart, over SASL_SSL", String.format(
                    "per-tenant input topics; globex's worker refused writing acme's topic (%d records), and %d"
                            + " forged records in its own topic against %d live acme streams (huge chunks, early"
                            + " Ends, a Reserve claiming acme) each dead-lettered TENANT_MISMATCH; %d of %d acme"
                            + " streams as planned, %s", trespasser.sent(), forged.size(), victims.size(),
                    terminals.matched(), workload.size(), terminals.timerSettlements(workload.size())),
                    victim.sent() + intruder.sent() + trespasser.sent(), started, Recovery.NOT_APPLICABLE, outcome)
                    .publish();
        }
    }

    /**
     * What an intruder would write to get its usage billed to another tenant, or another tenant's stream cut short:
     * per victim reservation a chunk of huge usage and an early End, plus one Reserve of its own that claims to be
     * the victim's tenant's.
     */
    private static List<StreamEvent> forgeries(final List<String> victims) {
        final Instant now = Instant.now();
        final List<StreamEvent> forged = new ArrayList<>();
        for (final String victim : victims) {
            forged.add(StreamEventFixture.chunk(victim, 500, now.toEpochMilli(), 900_000, 0));
            forged.add(StreamEventFixture.end(victim, 501, now.toEpochMilli(), Outcome.COMPLETED, null));
        }
        final String own = FORGED_PREFIX + victims.size();
        forged.add(StreamEventFixture.reserve(own, now.toEpochMilli(), WorkloadSubject.reserveBody(own,
                Workload.ESTIMATE,
                ClusterScenario.TTL_MS).build()));
        return forged;
    }

    /** The application's log (which lists every setting, masked) and every broker's, read byte for byte. */
    private void assertNoLogShowsASecret(final ScenarioDeployment deployment, final ChildApp app) throws Exception {
        final List<Path> logs = new ArrayList<>(List.of(app.logFile()));
        cluster.brokers().forEach(broker -> logs.add(broker.logFile()));
        assertThat(Files.readString(app.logFile(), StandardCharsets.ISO_8859_1))
                .as("the application logged its settings").contains("sasl.jaas.config = [hidden]");
        for (final Path log : logs) {
            final String text = Files.readString(log, StandardCharsets.ISO_8859_1);
            assertThat(deployment.secrets()).as(log.toString()).isNotEmpty()
                    .allSatisfy(secret -> assertThat(text).doesNotContain(secret));
        }
    }
}
