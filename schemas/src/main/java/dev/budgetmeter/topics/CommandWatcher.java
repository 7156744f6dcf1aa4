package dev.budgetmeter.topics;

import dev.budgetmeter.poll.Poll;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.Commit;
import dev.budgetmeter.schemas.Debit;
import dev.budgetmeter.schemas.Extend;
import dev.budgetmeter.schemas.Release;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the commands topic live, as the budget authority's relay would: {@code read_committed}, so a command is
 * visible only once the topology's transaction committed. It counts the commands by kind and tells a listener about
 * every settlement (a Commit or a Release) as soon as {@code poll} returned it, stamped with {@link System#nanoTime()}.
 *
 * <p>One daemon thread owns the consumer; {@link #close()} stops it. A failure stops the watcher: it is logged, and
 * {@link #awaitUntil} rethrows it. Thread-safe.
 */
public final class CommandWatcher implements AutoCloseable {

    /** Where the watcher starts reading. */
    public enum From {
        /** Every command in the topic. */
        BEGINNING,
        /** Only commands written after {@link #start} returned. */
        END
    }

    /** Told about every settlement as soon as it is visible, on the watcher's thread. */
    @FunctionalInterface
    public interface SettlementListener {

        /** No one listens. */
        SettlementListener NONE = (reservationId, command, nanos) -> { };

        /**
         * @param reservationId the settled reservation
         * @param command       its Commit or Release command
         * @param nanos         when poll returned it, on {@link System#nanoTime()}
         */
        void onSettled(String reservationId, BudgetCommand command, long nanos);
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

    private static final Logger LOG = LoggerFactory.getLogger(CommandWatcher.class);
    private static final Duration POLL = Duration.ofMillis(20);

    private final KafkaConsumer<String, BudgetCommand> consumer;
    private final Thread thread;
    private final CountDownLatch positioned = new CountDownLatch(1);
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong releases = new AtomicLong();
    private final AtomicLong extendsIssued = new AtomicLong();
    private final AtomicLong debits = new AtomicLong();
    private volatile SettlementListener listener;
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    private CommandWatcher(final KafkaConsumer<String, BudgetCommand> consumer, final SettlementListener listener) {
        this.consumer = consumer;
        this.listener = listener;
        this.thread = new Thread(this::pollLoop, "budget-meter-command-watcher");
        this.thread.setDaemon(true);
    }

    /**
     * Starts watching {@code commands} on {@code bootstrapServers} and returns once positioned.
     *
     * @param listener told about settlements from the first command on; {@link #listen} replaces it
     * @throws IllegalStateException when the topic does not exist
     */
    public static CommandWatcher start(final String bootstrapServers, final Topic<String, BudgetCommand> commands,
                                       final From from, final SettlementListener listener) {
        return start(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), commands, from, listener);
    }

    /**
     * As {@link #start(String, Topic, From, SettlementListener)}, connecting with {@code connection}:
     * {@code bootstrap.servers} and any security settings (the principal needs READ on the commands topic, no group).
     */
    public static CommandWatcher start(final Map<String, Object> connection,
                                       final Topic<String, BudgetCommand> commands, final From from,
                                       final SettlementListener listener) {
        final Map<String, Object> properties = new HashMap<>(connection);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "budget-meter-command-watcher");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT));
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // The broker answers a fetch as soon as committed data is there; a short wait bounds the rest.
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 25);
        final Object bootstrapServers = connection.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
        final KafkaConsumer<String, BudgetCommand> consumer = new KafkaConsumer<>(properties,
                commands.keySerde().deserializer(), commands.valueSerde().deserializer());
        final List<TopicPartition> partitions = consumer.partitionsFor(commands.name()).stream()
                .map(info -> new TopicPartition(commands.name(), info.partition())).toList();
        if (partitions.isEmpty()) {
            consumer.close();
            throw new IllegalStateException("topic " + commands.name() + " does not exist at " + bootstrapServers);
        }
        consumer.assign(partitions);
        if (from == From.BEGINNING) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
        }
        final CommandWatcher watcher = new CommandWatcher(consumer, listener);
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

    /** Replaces the listener; {@link SettlementListener#NONE} to stop listening. */
    public void listen(final SettlementListener settlementListener) {
        this.listener = settlementListener;
    }

    /** Commands seen so far, by kind. */
    public Counts counts() {
        return new Counts(commits.get(), releases.get(), extendsIssued.get(), debits.get());
    }

    /** Settlements seen so far: Commits and Releases. */
    public long settled() {
        return commits.get() + releases.get();
    }

    /**
     * Waits until {@code condition} (over what the listener has seen) holds, or the timeout passes.
     *
     * @return whether it held in time
     * @throws RuntimeException what stopped the watcher, if it failed
     */
    public boolean awaitUntil(final BooleanSupplier condition, final Duration timeout) {
        return Poll.until(() -> {
            if (failure != null) {
                throw failure;
            }
            return condition.getAsBoolean();
        }, timeout, POLL);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void pollLoop() {
        try {
            // Resolves the seek now, so that start() returns positioned.
            consumer.assignment().forEach(consumer::position);
            positioned.countDown();
            while (running) {
                final ConsumerRecords<String, BudgetCommand> records = consumer.poll(POLL);
                final long seen = System.nanoTime();
                for (final ConsumerRecord<String, BudgetCommand> record : records) {
                    count(record.key(), record.value(), seen);
                }
            }
        } catch (final WakeupException stopping) {
            // close() woke the consumer up.
        } catch (final RuntimeException e) {
            failure = e;
            LOG.error("The command watcher stopped", e);
        } finally {
            positioned.countDown();
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private void count(final String reservationId, final BudgetCommand command, final long nanos) {
        final Object body = command.getBody();
        if (body instanceof Extend) {
            extendsIssued.incrementAndGet();
        } else if (body instanceof Debit) {
            debits.incrementAndGet();
        } else if (body instanceof Commit || body instanceof Release) {
            (body instanceof Commit ? commits : releases).incrementAndGet();
            listener.onSettled(reservationId, command, nanos);
        }
    }
}
