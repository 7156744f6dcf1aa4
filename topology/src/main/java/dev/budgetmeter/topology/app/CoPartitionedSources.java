package dev.budgetmeter.topology.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.streams.TopologyDescription;

/**
 * The source topics each sub-topology reads together, and the check that each such set has one partition count.
 * Every topic a sub-topology reads is keyed the same way (by reservation, or by tenant) and written with Kafka's
 * default partitioner, so a key's records are in the same partition number of each: one task sees all of them only
 * when the counts agree. Kafka Streams enforces that for the joins of its DSL, not for sources of the Processor API,
 * where a mismatch would silently send a ledger reply to a task that never holds its reservation.
 *
 * <p>A pattern source (the per-tenant input topics) is checked with the topics that match it when the application
 * starts: each must have the count of the others and of the topics read with them. A tenant topic created later is
 * not checked here, so it must be created with the same count (budget-meter topics --tenant does).
 */
public final class CoPartitionedSources {

    /** Marks a pattern source among a group's topic names; no topic name may contain it. */
    static final String PATTERN_MARK = "pattern:";

    private CoPartitionedSources() {
    }

    /**
     * The sources of every sub-topology that reads more than one topic, or reads a pattern (which may match several):
     * topic names, and patterns as their text.
     */
    public static List<Set<String>> of(final TopologyDescription topology) {
        final List<Set<String>> groups = new ArrayList<>();
        for (final TopologyDescription.Subtopology subtopology : topology.subtopologies()) {
            final Set<String> sources = new TreeSet<>();
            boolean pattern = false;
            for (final TopologyDescription.Node node : subtopology.nodes()) {
                if (node instanceof TopologyDescription.Source source) {
                    if (source.topicPattern() != null) {
                        sources.add(PATTERN_MARK + source.topicPattern().pattern());
                        pattern = true;
                    } else {
                        sources.addAll(source.topicSet());
                    }
                }
            }
            if (sources.size() > 1 || pattern) {
                groups.add(sources);
            }
        }
        return groups;
    }

    /**
     * Fails with an {@link IllegalStateException} naming the topics and their counts when a group's existing topics
     * differ in partition count. A topic that does not exist yet is left to Kafka Streams, which reports it.
     */
    public static void verify(final Admin admin, final List<Set<String>> groups, final Duration timeout) {
        for (final Set<String> group : groups) {
            final Map<String, Integer> counts = partitionCounts(admin, expand(admin, group, timeout), timeout);
            if (counts.values().stream().distinct().count() > 1) {
                throw new IllegalStateException("topics " + counts + " (name=partitions) are read by the same tasks"
                        + " and must have the same partition count: create them with one count (budget-meter topics"
                        + " --partitions N), or add partitions to the smaller ones before the application reads"
                        + " them");
            }
        }
    }

    /** The group's topic names, with each pattern replaced by the topics that match it now. */
    private static Set<String> expand(final Admin admin, final Set<String> group, final Duration timeout) {
        final List<Pattern> patterns = group.stream().filter(source -> source.startsWith(PATTERN_MARK))
                .map(source -> Pattern.compile(source.substring(PATTERN_MARK.length()))).toList();
        final Set<String> topics = new TreeSet<>(group);
        topics.removeIf(source -> source.startsWith(PATTERN_MARK));
        if (patterns.isEmpty()) {
            return topics;
        }
        try {
            admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS).stream()
                    .filter(name -> patterns.stream().anyMatch(pattern -> pattern.matcher(name).matches()))
                    .forEach(topics::add);
            return topics;
        } catch (final ExecutionException e) {
            throw new IllegalStateException("could not list the topics matching " + patterns + ": " + e.getCause(),
                    e.getCause());
        } catch (final TimeoutException e) {
            throw new IllegalStateException("listing the topics took longer than " + timeout, e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing the topics", e);
        }
    }

    private static Map<String, Integer> partitionCounts(final Admin admin, final Set<String> topics,
                                                        final Duration timeout) {
        final Map<String, Integer> counts = new TreeMap<>();
        admin.describeTopics(topics).topicNameValues().forEach((topic, future) -> {
            try {
                final TopicDescription description = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                counts.put(topic, description.partitions().size());
            } catch (final ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("could not describe topic " + topic + ": " + e.getCause(),
                            e.getCause());
                }
            } catch (final TimeoutException e) {
                throw new IllegalStateException("describing topic " + topic + " took longer than " + timeout, e);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while describing topic " + topic, e);
            }
        });
        return counts;
    }
}
