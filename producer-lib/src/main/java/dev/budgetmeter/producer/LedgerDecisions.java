package dev.budgetmeter.producer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The budget ledger's decisions on one meter's reservations, read on a thread of their own from one partition of the
 * decisions topic: the meter's reply partition, which every Reserve names. The thread positions itself at the end of
 * the partition before the first Reserve goes out, reads {@code read_committed} (the ledger writes in transactions),
 * completes each expected reservation's future with its decision and ignores the rest (other workers share the
 * partition). An expected decision that does not come within the decision timeout fails its future with a
 * {@link DecisionTimeoutException}; so does every expected one when the meter closes.
 */
final class LedgerDecisions implements DecisionSource, Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerDecisions.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final long RETRY_MS = 500;

    private final Consumer<String, dev.budgetmeter.schemas.Decision> consumer;
    private final String topic;
    private final Integer configuredPartition;
    private final String workerId;
    private final Duration decisionTimeout;
    private final Duration blockTimeout;
    private final Map<String, Expected> expected = new ConcurrentHashMap<>();
    private final CompletableFuture<Integer> partition = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean closed;
    private volatile String lastProblem = "not positioned yet";

    private record Expected(String reservationId, CompletableFuture<Decision> future,
                            long deadlineNanos) {
    }

    /**
     * @param replyPartition the partition to read, or null for the one the worker id hashes to
     */
    LedgerDecisions(final Consumer<String, dev.budgetmeter.schemas.Decision> consumer, final String topic,
                    final Integer replyPartition, final String workerId, final Duration decisionTimeout, final Duration blockTimeout) {
        this.consumer = consumer;
        this.topic = topic;
        this.configuredPartition = replyPartition;
        this.workerId = workerId;
        this.decisionTimeout = decisionTimeout;
        this.blockTimeout = blockTimeout;
        this.thread = new Thread(this, "budget-meter-decisions-" + workerId);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    @Override
    public Admission admit(final StreamReservation reservation) {
        final Integer reply = replyPartition();
        final CompletableFuture<Decision> decision = expect(reservation);
        return Admission.asRequested(reservation, reply, decision, () -> forget(reservation.reservationId()));
    }

    /** The partition read, once positioned; waits up to the block timeout the first time. */
    private Integer replyPartition() {
        try {
            return partition.get(blockTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (final TimeoutException e) {
            throw new DecisionTimeoutException("the decisions topic " + topic + " could not be read within "
                    + blockTimeout + " (" + lastProblem + ")");
        } catch (final ExecutionException e) {
            throw new DecisionTimeoutException("the decisions topic " + topic + " cannot be read: "
                    + e.getCause().getMessage());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DecisionTimeoutException("interrupted while waiting for the decisions topic " + topic);
        }
    }

    private CompletableFuture<Decision> expect(final StreamReservation reservation) {
        final CompletableFuture<Decision> future = new CompletableFuture<>();
        expected.put(reservation.reservationId(), new Expected(reservation.reservationId(), future,
                System.nanoTime() + decisionTimeout.toNanos()));
        if (closed || !thread.isAlive()) {
            failAll(closed ? "the meter is closed" : "reading decisions stopped: " + lastProblem);
        }
        return future;
    }

    private void forget(final String reservationId) {
        expected.remove(reservationId);
    }

    @Override
    public void run() {
        try {
            while (!closed && !partition.isDone()) {
                try {
                    position();
                } catch (final KafkaException | IllegalStateException e) {
                    lastProblem = e.getMessage();
                    if (!pause()) {
                        return;
                    }
                }
            }
            if (partition.isCompletedExceptionally()) {
                return;
            }
            while (!closed) {
                for (final ConsumerRecord<String, dev.budgetmeter.schemas.Decision> record : consumer.poll(POLL)) {
                    final Expected waiting = expected.remove(record.key());
                    if (waiting != null) {
                        waiting.future().complete(AvroMapping.decision(record.value()));
                    }
                }
                expireOverdue();
            }
        } catch (final WakeupException closing) {
            // close() woke the poll.
        } catch (final RuntimeException e) {
            LOG.error("Reading decisions from {} failed; streams waiting for one fail", topic, e);
            lastProblem = e.toString();
        } finally {
            partition.completeExceptionally(new IllegalStateException(lastProblem));
            failAll(closed ? "the meter is closed" : "reading decisions failed: " + lastProblem);
            consumer.close(Duration.ZERO);
        }
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            thread.join(blockTimeout.toMillis());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Assigns the reply partition and fixes the position at its end, before any Reserve names it. */
    private void position() {
        final List<PartitionInfo> partitions = consumer.partitionsFor(topic, blockTimeout);
        if (partitions == null || partitions.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist");
        }
        final int count = partitions.size();
        if (configuredPartition != null && configuredPartition >= count) {
            partition.completeExceptionally(new IllegalArgumentException("replyPartition " + configuredPartition
                    + " is not a partition of " + topic + ", which has " + count));
            return;
        }
        final int chosen = configuredPartition != null ? configuredPartition
                : Utils.toPositive(Utils.murmur2(workerId.getBytes(StandardCharsets.UTF_8))) % count;
        final TopicPartition assigned = new TopicPartition(topic, chosen);
        consumer.assign(List.of(assigned));
        consumer.seekToEnd(List.of(assigned));
        consumer.position(assigned, blockTimeout);
        partition.complete(chosen);
    }

    private void expireOverdue() {
        final long now = System.nanoTime();
        for (final Expected waiting : expected.values()) {
            if (now - waiting.deadlineNanos() >= 0 && expected.remove(waiting.reservationId(), waiting)) {
                waiting.future().completeExceptionally(
                        DecisionTimeoutException.of(waiting.reservationId(), decisionTimeout, topic));
            }
        }
    }

    private void failAll(final String why) {
        for (final Expected waiting : expected.values()) {
            if (expected.remove(waiting.reservationId(), waiting)) {
                waiting.future().completeExceptionally(new DecisionTimeoutException("no decision on reservation "
                        + waiting.reservationId() + ": " + why));
            }
        }
    }

    /** Waits before the next attempt; false when interrupted, which ends the thread. */
    private static boolean pause() {
        try {
            Thread.sleep(RETRY_MS);
            return true;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
