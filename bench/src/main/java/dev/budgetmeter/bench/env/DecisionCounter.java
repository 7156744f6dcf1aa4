package dev.budgetmeter.bench.env;

import dev.budgetmeter.schemas.Decision;
import dev.budgetmeter.schemas.DecisionKind;
import dev.budgetmeter.topics.Topic;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Counts the budget ledger's decisions as workers see them: every partition of the decisions topic from its
 * beginning, {@code read_committed} (a decision exists for a worker only once the ledger's transaction committed),
 * allowed and refused apart. One daemon thread owns the consumer; a failure stops the count and is rethrown by the
 * next read. Thread-safe.
 */
public final class DecisionCounter implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(20);

    private final KafkaConsumer<String, Decision> consumer;
    private final ExecutorService thread;
    private final AtomicLong allowed = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final Future<?> counting;

    private DecisionCounter(final KafkaConsumer<String, Decision> consumer, final String threadName) {
        this.consumer = consumer;
        this.thread = Executors.newSingleThreadExecutor(runnable -> {
            final Thread daemon = new Thread(runnable, threadName);
            daemon.setDaemon(true);
            return daemon;
        });
        this.counting = thread.submit(this::count);
    }

    /** Starts counting the decisions of {@code decisions} on {@code bootstrapServers}. */
    public static DecisionCounter start(final String bootstrapServers, final Topic<String, Decision> decisions) {
        final KafkaConsumer<String, Decision> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "bench-decision-counter",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                decisions.keySerde().deserializer(), decisions.valueSerde().deserializer());
        consumer.assign(consumer.partitionsFor(decisions.name()).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList());
        return new DecisionCounter(consumer, "bench-decisions-" + decisions.name());
    }

    /** Decisions read so far, allowed or refused. */
    public long decisions() {
        return allowed() + refused();
    }

    /** ALLOW and ALLOW_WITH_CAPS decisions read so far. */
    public long allowed() {
        rethrow();
        return allowed.get();
    }

    /** DENY decisions read so far. */
    public long refused() {
        rethrow();
        return refused.get();
    }

    /** Wakes the consumer out of its poll and waits for the thread to close it. */
    @Override
    public void close() {
        consumer.wakeup();
        thread.shutdown();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void count() {
        try (consumer) {
            while (!thread.isShutdown()) {
                for (final ConsumerRecord<String, Decision> record : consumer.poll(POLL)) {
                    (record.value().getDecision() == DecisionKind.DENY ? refused : allowed).incrementAndGet();
                }
            }
        } catch (final WakeupException stopping) {
            // close() woke the poll.
        }
    }

    /** The failure that stopped the count, if one did. */
    private void rethrow() {
        if (counting.isDone() && !thread.isShutdown()) {
            try {
                counting.get();
            } catch (final ExecutionException e) {
                throw new IllegalStateException("counting decisions stopped", e.getCause());
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("counting decisions stopped");
        }
    }
}
