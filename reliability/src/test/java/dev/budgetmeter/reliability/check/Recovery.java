package dev.budgetmeter.reliability.check;

import dev.budgetmeter.cli.audit.LedgerSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.utils.Utils;

/**
 * How long a fault kept the tasks it hit from writing, read from the output topics alone (read_committed, as the
 * oracle reads them). Per input partition the fault stopped: the first audit record or command whose topology time
 * ({@code at}, {@code issued_at}) is at or after the fault's moment, for a reservation of that partition. The
 * recovery is the slowest of those partitions: the moment every task the fault hit was writing again.
 *
 * <p>The moment is the kill, taken once the process is gone (so nothing the dead instance wrote can count), the
 * moment a broker or registry was back, or the restart after a clean stop. Topology time is the application's wall clock, here the test's own (one
 * machine). A reservation's records come from the task of the input partition its id hashes to (the producer's
 * default partitioner), whatever partition its outputs land in.
 *
 * <p>A task with no input and no timer due after the fault writes nothing, so shows no recovery: scenarios keep load
 * on every partition they count, or narrow the fault to the partitions of their streams ({@link Fault#narrowedTo}).
 * Immutable.
 */
public final class Recovery {

    /** The figure of a scenario without a fault. */
    public static final Recovery NOT_APPLICABLE = new Recovery(null, new TreeMap<>(), new TreeSet<>());

    private final String from;
    private final SortedMap<Integer, Duration> firstOutput;
    private final SortedSet<Integer> silent;

    private Recovery(final String from, final SortedMap<Integer, Duration> firstOutput,
                     final SortedSet<Integer> silent) {
        this.from = from;
        this.firstOutput = firstOutput;
        this.silent = silent;
    }

    /**
     * A fault, as the recovery measure needs it. Immutable.
     *
     * @param from           what recovery is timed from, for the figures ("the kill", "the broker's return")
     * @param atMs           that moment, epoch ms
     * @param partitionCount partitions of the input topic
     * @param partitions     the input partitions whose tasks the fault stopped
     */
    public record Fault(String from, long atMs, int partitionCount, Set<Integer> partitions) {

        public Fault {
            partitions = Set.copyOf(partitions);
        }

        /** A fault that stopped every task, timed from now. */
        public static Fault onEveryPartition(final String from, final int partitionCount) {
            return new Fault(from, System.currentTimeMillis(), partitionCount,
                    IntStream.range(0, partitionCount).boxed().collect(Collectors.toSet()));
        }

        /** Only the partitions, among these, that hold one of {@code reservationIds}: the tasks a scenario loads. */
        public Fault narrowedTo(final Collection<String> reservationIds) {
            return new Fault(from, atMs, partitionCount, reservationIds.stream()
                    .map(id -> partitionOf(id, partitionCount)).filter(partitions::contains)
                    .collect(Collectors.toSet()));
        }

        /** The recovery that the output topics show. */
        public Recovery measure(final LedgerSnapshot snapshot) {
            final Map<Integer, Long> first = new TreeMap<>();
            snapshot.audits().forEach(audit -> note(first, audit.getReservationId(), audit.getAt()));
            snapshot.commands().forEach(command -> note(first, command.getReservationId(), command.getIssuedAt()));
            final SortedMap<Integer, Duration> byPartition = new TreeMap<>();
            first.forEach((partition, at) -> byPartition.put(partition, Duration.ofMillis(at - atMs)));
            final SortedSet<Integer> silent = new TreeSet<>(partitions);
            silent.removeAll(byPartition.keySet());
            return new Recovery(from, byPartition, silent);
        }

        private void note(final Map<Integer, Long> first, final String reservationId, final Instant at) {
            final int partition = partitionOf(reservationId, partitionCount);
            if (partitions.contains(partition) && at.toEpochMilli() >= atMs) {
                first.merge(partition, at.toEpochMilli(), Math::min);
            }
        }
    }

    /** The input partition of a reservation id: the producer's default partitioner on its UTF-8 key. */
    static int partitionOf(final String reservationId, final int partitions) {
        return Utils.toPositive(Utils.murmur2(reservationId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** Until every affected task wrote again; empty without a fault or while a task has written nothing since. */
    public Optional<Duration> slowest() {
        if (from == null || !silent.isEmpty() || firstOutput.isEmpty()) {
            return Optional.empty();
        }
        return firstOutput.values().stream().max(Duration::compareTo);
    }

    /**
     * Fails unless every affected task wrote again before the consumer session of the instance that stopped would
     * have timed out. Until then the group holds that member's partitions for it: only an instance that rejoins with
     * its {@code group.instance.id} (static membership) gets them sooner. The machines are shared and noisy, so no
     * tighter bound is asserted; the figure is reported.
     */
    public void assertWithinSessionTimeout(final Duration sessionTimeout) {
        if (slowest().isEmpty() || slowest().get().compareTo(sessionTimeout) >= 0) {
            throw new AssertionError("recovery " + figure() + " is not within the session timeout of "
                    + seconds(sessionTimeout) + ": the stopped member kept its tasks until its session timed out, and"
                    + " only static membership (the same group.instance.id) hands them to the restarted instance"
                    + " sooner");
        }
    }

    /** For the figures table: the slowest partition's recovery, over how many partitions, the fastest; or "n/a". */
    public String figure() {
        if (from == null) {
            return "n/a";
        }
        final int affected = firstOutput.size() + silent.size();
        if (affected == 0) {
            return "no partition of the fault holds a stream of the scenario";
        }
        if (!silent.isEmpty()) {
            return String.format(Locale.ROOT, "no output since %s on partitions %s (%d of %d wrote again)", from,
                    silent, firstOutput.size(), affected);
        }
        if (affected == 1) {
            return seconds(slowest().orElseThrow()) + " from " + from + " (1 partition)";
        }
        final Duration fastest = firstOutput.values().stream().min(Duration::compareTo).orElseThrow();
        return seconds(slowest().orElseThrow()) + " from " + from + " (slowest of " + affected
                + " partitions; fastest " + seconds(fastest) + ")";
    }

    private static String seconds(final Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }

    @Override
    public String toString() {
        return figure();
    }
}
