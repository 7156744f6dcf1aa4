package dev.budgetmeter.topology.app;

import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a replaced stream thread's tasks move at once under static membership. Kafka Streams names the replacement
 * with the next free thread index, so it joins the group as another static member ({@code <group.instance.id>-<n>})
 * while the dead thread's member, which stays in the group when its thread is replaced, keeps its partitions until its
 * session times out: the instance would report RUNNING and process nothing for that long. Removing the dead thread's
 * member through the admin API rebalances the group at once.
 */
final class ReplacedThreadMembers {

    private static final Logger LOG = LoggerFactory.getLogger(ReplacedThreadMembers.class);

    private final Admin admin;
    private final String groupId;
    private final String instanceId;

    /**
     * @param instanceId the configured {@code group.instance.id}, or null without static membership (then a
     *                   replaced thread's member leaves only when its session times out: there is no id to name it by)
     */
    ReplacedThreadMembers(final Admin admin, final String groupId, final String instanceId) {
        this.admin = admin;
        this.groupId = groupId;
        this.instanceId = instanceId;
    }

    /** The {@code group.instance.id} the properties give the main consumer, or null. */
    static String instanceIdOf(final Properties properties) {
        for (final String key : List.of(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
                StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
                ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)) {
            final String value = properties.getProperty(key);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    /** The static member of a stream thread named {@code <client id>-StreamThread-<n>}: {@code <instance id>-<n>}. */
    static String memberOf(final String instanceId, final String threadName) {
        return instanceId + "-" + threadName.substring(threadName.lastIndexOf('-') + 1);
    }

    /** Removes the member of the stream thread being replaced; asynchronous, so the dying thread is not held up. */
    void removeMemberOf(final String threadName) {
        if (instanceId == null) {
            return;
        }
        final String member = memberOf(instanceId, threadName);
        admin.removeMembersFromConsumerGroup(groupId, new RemoveMembersFromConsumerGroupOptions(
                List.of(new MemberToRemove(member)))).all().whenComplete((done, error) -> {
                    if (error == null) {
                        LOG.info("Removed static member {} of the replaced thread {}", member, threadName);
                    } else {
                        LOG.warn("Could not remove static member {} of the replaced thread {}: its partitions move"
                                + " when its session times out", member, threadName, error);
                    }
                });
    }
}
