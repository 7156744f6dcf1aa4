package dev.budgetmeter.bench.observe;

import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.Commit;
import dev.budgetmeter.schemas.Release;
import dev.budgetmeter.topics.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the commands topic as the budget authority would, with {@code read_committed}, on its own thread, from the
 * beginning: counts the streams settled (a Commit or a Release) and tells a listener when each one became visible.
 * "Visible" is when {@code poll} returned it, on {@link System#nanoTime()}.
 */
public final class CommandWatcher implements AutoCloseable {

    /** Told about every settlement as soon as it is visible. */
    @FunctionalInterface
    public interface SettlementListener {

        /** No one listens. */
        SettlementListener NONE = (reservationId, command, nanos) -> { };

        /**
         * @param reservationId the settled reservation
         * @param command       its Commit or Release command
         * @param nanos         when poll returned it
         */
        void onSettled(String reservationId, BudgetCommand command, long nanos);
    }

    private static final Logger LOG = LoggerFactory.getLogger(CommandWatcher.class);
    private static final Duration POLL = Duration.ofMillis(20);

    private final KafkaConsumer<String, BudgetCommand> consumer;
    private final Thread thread;
    private final AtomicLong settled = new AtomicLong();
    private volatile SettlementListener listener = SettlementListener.NONE;
    private volatile boolean running = true;

    private CommandWatcher(final KafkaConsumer<String, BudgetCommand> consumer) {
        this.consumer = consumer;
        this.thread = new Thread(this::pollLoop, "bench-command-watcher");
        this.thread.setDaemon(true);
    }

    /**
     * Starts watching {@code commands} on {@code bootstrapServers}.
     *
     * @param partitions the topic's partition count
     */
    public static CommandWatcher start(final String bootstrapServers, final Topic<String, BudgetCommand> commands,
                                       final int partitions) {
        final KafkaConsumer<String, BudgetCommand> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "bench-command-watcher",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // The broker answers a fetch as soon as committed data is there; a short wait bounds the rest.
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 25),
                commands.keySerde().deserializer(), commands.valueSerde().deserializer());
        final List<TopicPartition> assigned = IntStream.range(0, partitions)
                .mapToObj(partition -> new TopicPartition(commands.name(), partition)).toList();
        consumer.assign(assigned);
        consumer.seekToBeginning(assigned);
        final CommandWatcher watcher = new CommandWatcher(consumer);
        watcher.thread.start();
        return watcher;
    }

    /** Streams settled so far. */
    public long settled() {
        return settled.get();
    }

    /** Replaces the listener; {@link SettlementListener#NONE} to stop listening. */
    public void listen(final SettlementListener settlementListener) {
        this.listener = settlementListener;
    }

    private void pollLoop() {
        try {
            while (running) {
                final var records = consumer.poll(POLL);
                final long seen = System.nanoTime();
                for (final ConsumerRecord<String, BudgetCommand> record : records) {
                    final Object body = record.value().getBody();
                    if (body instanceof Commit || body instanceof Release) {
                        settled.incrementAndGet();
                        listener.onSettled(record.key(), record.value(), seen);
                    }
                }
            }
        } catch (final WakeupException stopping) {
            // close() woke the consumer up.
        } catch (final RuntimeException e) {
            LOG.error("The command watcher stopped", e);
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
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
}
