package dev.budgetmeter.cli.demo;

import dev.budgetmeter.poll.Poll;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.Commit;
import dev.budgetmeter.schemas.Debit;
import dev.budgetmeter.schemas.Extend;
import dev.budgetmeter.schemas.Release;
import dev.budgetmeter.topics.Topic;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Watches the commands topic live, as the budget authority's relay would see it (read_committed: a command is
 * visible only once the topology's transaction committed): counts commands by kind for the progress line, records
 * which reservations are settled, and times each terminal command against the moment its stream's End was sent.
 *
 * <p>It starts at the topic's end, so it sees only commands written after {@link #start}. One daemon thread owns the
 * consumer; {@link #close()} stops it.
 */
public final class CommandWatcher implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(100);

    private final KafkaConsumer<String, BudgetCommand> consumer;
    private final Map<String, Long> endSentNanos;
    private final LongSupplier nanoClock;
    private final LatencyRecorder latency = new LatencyRecorder();
    private final Set<String> settled = ConcurrentHashMap.newKeySet();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong releases = new AtomicLong();
    private final AtomicLong extendsIssued = new AtomicLong();
    private final AtomicLong debits = new AtomicLong();
    private final CountDownLatch positioned = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    private CommandWatcher(final KafkaConsumer<String, BudgetCommand> consumer, final Map<String, Long> endSentNanos,
                           final LongSupplier nanoClock) {
        this.consumer = consumer;
        this.endSentNanos = endSentNanos;
        this.nanoClock = nanoClock;
        this.thread = new Thread(this::loop, "budget-meter-command-watcher");
        this.thread.setDaemon(true);
    }

    /**
     * Starts watching and returns once positioned at the topic's end.
     *
     * @param endSentNanos when each stream's End was sent, filled in by the workers as they go
     * @param nanoClock    the clock of {@code endSentNanos}
     */
    public static CommandWatcher start(final String bootstrapServers, final Topic<String, BudgetCommand> topic,
                                       final Map<String, Long> endSentNanos, final LongSupplier nanoClock) {
        final Map<String, Object> properties = new HashMap<>();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT));
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "budget-meter-command-watcher");
        final KafkaConsumer<String, BudgetCommand> consumer = new KafkaConsumer<>(properties,
                topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        final List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                .map(info -> new TopicPartition(topic.name(), info.partition())).toList();
        if (partitions.isEmpty()) {
            consumer.close();
            throw new IllegalStateException("topic " + topic.name() + " does not exist at " + bootstrapServers);
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        final CommandWatcher watcher = new CommandWatcher(consumer, endSentNanos, nanoClock);
        watcher.thread.start();
        try {
            watcher.positioned.await();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            watcher.close();
            throw new IllegalStateException("interrupted while positioning the command watcher", e);
        }
        return watcher;
    }

    /** Whether every one of {@code reservationIds} has its Commit or Release visible. */
    public boolean allSettled(final Collection<String> reservationIds) {
        return settled.containsAll(reservationIds);
    }

    /**
     * Waits until every one of {@code reservationIds} is settled, or the timeout passes.
     *
     * @return whether all were settled
     */
    public boolean awaitSettled(final Collection<String> reservationIds, final Duration timeout) {
        return Poll.until(() -> {
            if (failure != null) {
                throw failure;
            }
            return allSettled(reservationIds);
        }, timeout, POLL);
    }

    /** Commands seen so far, by kind. */
    public Counts counts() {
        return new Counts(commits.get(), releases.get(), extendsIssued.get(), debits.get());
    }

    /** End sent -> terminal command visible, per stream that sent an End. */
    public LatencyRecorder latency() {
        return latency;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        try (consumer) {
            consumer.assignment().forEach(consumer::position);
            positioned.countDown();
            while (running) {
                for (final ConsumerRecord<String, BudgetCommand> record : consumer.poll(POLL)) {
                    count(record.key(), record.value());
                }
            }
        } catch (final WakeupException stopping) {
            // close() asked the consumer to stop polling.
        } catch (final RuntimeException e) {
            failure = e;
        } finally {
            positioned.countDown();
        }
    }

    private void count(final String reservationId, final BudgetCommand command) {
        final Object body = command.getBody();
        if (body instanceof Extend) {
            extendsIssued.incrementAndGet();
        } else if (body instanceof Debit) {
            debits.incrementAndGet();
        } else if (body instanceof Commit || body instanceof Release) {
            (body instanceof Commit ? commits : releases).incrementAndGet();
            if (settled.add(reservationId)) {
                final Long sent = endSentNanos.get(reservationId);
                if (sent != null) {
                    latency.record(nanoClock.getAsLong() - sent);
                }
            }
        }
    }

    /**
     * Commands seen so far.
     *
     * @param commits  Commit commands
     * @param releases Release commands
     * @param extend   Extend commands
     * @param debits   Debit commands
     */
    public record Counts(long commits, long releases, long extend, long debits) {
    }
}
