package dev.budgetmeter.topics;

import dev.budgetmeter.poll.Poll;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates topics and returns only once every partition has a leader, so that the first records written to a new
 * topic do not meet {@code NOT_LEADER_OR_FOLLOWER}. (Kafka 4.3.1 brokers can then reject an idempotent producer's
 * retried first batch with {@code OutOfOrderSequenceException} for good; waiting for leaders avoids that path.)
 * Topics that exist already are left as they are.
 */
public final class TopicAdmin {

    private static final Duration POLL = Duration.ofMillis(50);

    private TopicAdmin() {
    }

    /**
     * Creates the topics that do not exist yet and waits until every partition of every one has a leader.
     *
     * @throws IllegalStateException when the cluster refuses a topic or the leaders do not appear within the timeout
     */
    public static void createAndAwaitLeaders(final Admin admin, final Collection<NewTopic> topics,
                                             final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        admin.createTopics(topics).values().forEach((name, created) -> {
            try {
                created.get(remainingMs(deadline), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("could not create topic " + name + ": " + e.getCause(), e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topic " + name, e);
            } catch (TimeoutException e) {
                throw new IllegalStateException("topic " + name + " was not created within " + timeout, e);
            }
        });
        awaitLeaders(admin, topics.stream().map(NewTopic::name).toList(), deadline, timeout);
    }

    /**
     * Waits until every partition of the named topics has a leader.
     *
     * @throws IllegalStateException when they do not within the timeout
     */
    public static void awaitLeaders(final Admin admin, final List<String> names, final Duration timeout) {
        awaitLeaders(admin, names, System.nanoTime() + timeout.toNanos(), timeout);
    }

    private static void awaitLeaders(final Admin admin, final List<String> names, final long deadline,
                                     final Duration timeout) {
        final AtomicReference<Optional<String>> waitingFor = new AtomicReference<>(Optional.of(names.toString()));
        final Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        if (!Poll.until(() -> {
            waitingFor.set(leaderless(admin, names, deadline));
            return waitingFor.get().isEmpty();
        }, left, POLL)) {
            throw new IllegalStateException("partitions of " + waitingFor.get().orElse(names.toString())
                    + " had no leader within " + timeout);
        }
    }

    /** The named topics that have a partition without a leader, in words; empty once every partition has one. */
    private static Optional<String> leaderless(final Admin admin, final List<String> names, final long deadline) {
        try {
            final Map<String, TopicDescription> descriptions = admin.describeTopics(names).allTopicNames()
                    .get(remainingMs(deadline), TimeUnit.MILLISECONDS);
            final List<String> leaderless = descriptions.values().stream()
                    .filter(description -> description.partitions().stream()
                            .map(TopicPartitionInfo::leader).anyMatch(leader -> leader == null || leader.isEmpty()))
                    .map(TopicDescription::name).toList();
            return leaderless.isEmpty() ? Optional.empty() : Optional.of(leaderless.toString());
        } catch (ExecutionException | TimeoutException e) {
            return Optional.of(names + " (" + e + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for leaders of " + names, e);
        }
    }

    private static long remainingMs(final long deadline) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }
}
