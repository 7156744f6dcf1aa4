package dev.budgetmeter.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.budgetmeter.cycles.ApiKeys;
import dev.budgetmeter.cycles.RetryLoop;
import dev.budgetmeter.cycles.Secret;
import dev.budgetmeter.cycles.standin.Fault;
import dev.budgetmeter.cycles.standin.RecordedRequest;
import dev.budgetmeter.cycles.standin.RecordedRequest.Disposition;
import dev.budgetmeter.schemas.CommandOutcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The protocol's client-recovery scenarios ({@code client-recovery/scenarios.yaml} in runcycles/cycles-protocol) that
 * the relay's applier answers for, each against the Cycles stand-in on real HTTP. The relay's journal is the commands
 * topic itself (a command is there, written by the topology's transaction, before the relay ever sends it), and a
 * command leaves it (its offset is committed) only after its result is written: the scenarios that kill and restart
 * the relay process are in {@code RelayOnKafkaTest} and {@code RelayKilledUnderLoadTest}; here a "restart" is a
 * fresh applier with nothing carried over but the command.
 */
class ClientRecoveryScenariosTest {

    private final StandInRig rig = new StandInRig();

    @AfterEach
    void close() {
        rig.close();
    }

    @Test
    void cr_core_001_a_lost_commit_answer_is_resent_with_the_same_key_and_settles_once() throws Exception {
        final String id = rig.reserve("cr-core-001", 50_000);
        rig.server.inject(Fault.of("commit", Fault.Kind.LOSE_ANSWER, 1));

        final Applied applied = rig.applier().apply(Commands.commit(id, 30_000));

        assertThat(applied.result().getOutcome()).isEqualTo(CommandOutcome.APPLIED);
        assertThat(rig.server.requests("commit", id + ":commit")).extracting(RecordedRequest::disposition)
                .containsExactly(Disposition.FAULT_AFTER_APPLY, Disposition.REPLAYED);
        assertThat(rig.server.reservation(id).orElseThrow().finalizations()).isEqualTo(1);
        assertThat(rig.spent()).isEqualTo(30_000);
    }

    @Test
    void cr_core_002_an_expired_commit_falls_back_to_an_event_with_the_original_subject_action_and_actual()
            throws Exception {
        final String id = rig.reserve("cr-core-002", 50_000);
        rig.server.forceExpire(id);

        final Applied applied = rig.applier().apply(Commands.commit(id, 42_000));

        assertThat(applied.result().getOutcome()).isEqualTo(CommandOutcome.RECOVERED_AS_EVENT);
        assertThat(rig.server.requests()).filteredOn(request -> !request.operation().equals("reserve"))
                .extracting(RecordedRequest::operation, RecordedRequest::idempotencyKey)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("commit", id + ":commit"),
                        org.assertj.core.groups.Tuple.tuple("event", id + ":commit"));
        final RecordedRequest event = rig.server.requests("event", id + ":commit").get(0);
        assertThat(event.body().path("subject")).isEqualTo(dev.budgetmeter.cycles.CyclesJson.subject(Commands.subject()));
        assertThat(event.body().path("action")).isEqualTo(dev.budgetmeter.cycles.CyclesJson.action(Commands.action()));
        assertThat(event.body().path("actual").path("amount").asLong()).isEqualTo(42_000);
        assertThat(rig.spent()).isEqualTo(42_000);
    }

    @Test
    void cr_core_003_a_heartbeat_transport_failure_is_observable_and_the_commit_still_goes_out() throws Exception {
        final String id = rig.reserve("cr-core-003", 50_000);
        rig.server.inject(Fault.of("extend", Fault.Kind.CUT_BEFORE_APPLY, 1));
        final CommandApplier applier = rig.applier();

        final Applied extended = applier.apply(Commands.extend(id, 1, 30_000));
        final Applied committed = applier.apply(Commands.commit(id, 30_000));

        assertThat(extended.result().getOutcome()).isEqualTo(CommandOutcome.APPLIED);
        assertThat(extended.result().getAttempts()).isEqualTo(2);
        assertThat(rig.server.requests("extend", id + ":extend:1")).extracting(RecordedRequest::disposition)
                .containsExactly(Disposition.FAULT_NOT_APPLIED, Disposition.APPLIED);
        assertThat(rig.metrics.scrape()).containsPattern(
                "relay_retries_total\\{operation=\"extend\",reason=\"NO_ANSWER\"} 1\\.0");
        assertThat(committed.result().getOutcome()).isEqualTo(CommandOutcome.APPLIED);
    }

    @Test
    void cr_core_004_a_malformed_2xx_is_ambiguous_and_resent_with_the_original_key() throws Exception {
        final String id = rig.reserve("cr-core-004", 50_000);
        rig.server.inject(Fault.of("commit", Fault.Kind.MALFORMED_SUCCESS, 1));

        final Applied applied = rig.applier().apply(Commands.commit(id, 30_000));

        assertThat(applied.result().getOutcome()).isEqualTo(CommandOutcome.APPLIED);
        assertThat(applied.result().getCharged().getAmount()).isEqualTo(30_000);
        assertThat(rig.server.requests("commit", id + ":commit")).extracting(RecordedRequest::disposition)
                .containsExactly(Disposition.FAULT_AFTER_APPLY, Disposition.REPLAYED);
    }

    @Test
    void cr_durable_002_a_restarted_relay_replays_the_expired_commit_into_the_same_event_once() throws Exception {
        final String id = rig.reserve("cr-durable-002", 50_000);
        rig.server.forceExpire(id);
        rig.server.inject(Fault.of("event", Fault.Kind.LOSE_ANSWER, 1));
        // The first relay process dies while it waits to resend the event whose answer it lost.
        final RetryLoop.Sleeper dies = duration -> {
            throw new InterruptedException("process terminated after the switch to event mode");
        };
        final CommandApplier first = rig.applier(ApiKeys.single(Secret.of(StandInRig.API_KEY)), dies);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> first.apply(Commands.commit(id, 30_000)))
                .isInstanceOf(InterruptedException.class);

        final Applied restarted = rig.applier().apply(Commands.commit(id, 30_000));

        assertThat(restarted.result().getOutcome()).isEqualTo(CommandOutcome.RECOVERED_AS_EVENT);
        assertThat(rig.server.requests()).filteredOn(request -> !request.operation().equals("reserve"))
                .extracting(RecordedRequest::operation, RecordedRequest::disposition)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("commit", Disposition.REFUSED),
                        org.assertj.core.groups.Tuple.tuple("event", Disposition.FAULT_AFTER_APPLY),
                        org.assertj.core.groups.Tuple.tuple("commit", Disposition.REFUSED),
                        org.assertj.core.groups.Tuple.tuple("event", Disposition.REPLAYED));
        assertThat(rig.server.events()).hasSize(1);
        assertThat(rig.spent()).isEqualTo(30_000);
    }

    @Test
    void cr_durable_004_a_rotated_api_key_pauses_the_command_until_the_keys_file_has_the_new_key(
            @TempDir final Path dir) throws Exception {
        final String id = rig.reserve("cr-durable-004", 50_000);
        final Path keys = dir.resolve("keys.properties");
        Files.writeString(keys, "acme=" + StandInRig.API_KEY + "\n", StandardCharsets.UTF_8);
        final ApiKeyRing ring = ApiKeyRing.load(keys, Map.of());
        rig.server.revokeApiKey(StandInRig.API_KEY);
        rig.server.apiKey("acme", "key-acme-2");
        final AtomicInteger pauses = new AtomicInteger();
        final RetryLoop.Sleeper operatorFixesTheFileDuringTheSecondPause = duration -> {
            if (pauses.incrementAndGet() == 2) {
                rotate(keys);
            }
            Thread.sleep(Math.max(duration.toMillis(), 600));
        };

        final Applied applied = rig.applier(ring, operatorFixesTheFileDuringTheSecondPause)
                .apply(Commands.commit(id, 30_000));

        assertThat(applied.result().getOutcome()).isEqualTo(CommandOutcome.APPLIED);
        final List<RecordedRequest> commits = rig.server.requests("commit", id + ":commit");
        assertThat(commits).extracting(RecordedRequest::status).startsWith(401, 401).endsWith(200);
        assertThat(commits).extracting(RecordedRequest::idempotencyKey).containsOnly(id + ":commit");
        assertThat(ring.toString()).doesNotContain(StandInRig.API_KEY).doesNotContain("key-acme-2");
    }

    @Test
    void cr_durable_006_two_relays_replaying_one_command_at_once_settle_it_once() throws Exception {
        final String id = rig.reserve("cr-durable-006", 50_000);
        final CommandApplier one = rig.applier();
        final CommandApplier other = rig.applier();
        final CountDownLatch together = new CountDownLatch(2);

        final CompletableFuture<Applied> first = CompletableFuture.supplyAsync(() -> applyTogether(one, id, together));
        final CompletableFuture<Applied> second = CompletableFuture.supplyAsync(() -> applyTogether(other, id,
                together));

        assertThat(List.of(first.get(), second.get())).extracting(applied -> applied.result().getOutcome())
                .containsOnly(CommandOutcome.APPLIED);
        assertThat(rig.server.requests("commit", id + ":commit")).extracting(RecordedRequest::disposition)
                .containsExactlyInAnyOrder(Disposition.APPLIED, Disposition.REPLAYED);
        assertThat(rig.server.reservation(id).orElseThrow().finalizations()).isEqualTo(1);
        assertThat(rig.spent()).isEqualTo(30_000);
    }

    private static void rotate(final Path keys) {
        try {
            Files.writeString(keys, "acme=key-acme-2\n", StandardCharsets.UTF_8);
            Files.setLastModifiedTime(keys, FileTime.from(Instant.now().plusSeconds(5)));
        } catch (final java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Applied applyTogether(final CommandApplier applier, final String id, final CountDownLatch together) {
        try {
            together.countDown();
            together.await();
            return applier.apply(Commands.commit(id, 30_000));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }


}
