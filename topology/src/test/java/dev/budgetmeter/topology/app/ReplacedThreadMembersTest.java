package dev.budgetmeter.topology.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The static member a replaced stream thread leaves behind is named from its thread and the configured id. */
class ReplacedThreadMembersTest {

    @Test
    void the_member_of_a_thread_is_the_instance_id_with_the_thread_index() {
        assertThat(ReplacedThreadMembers.memberOf("metering-1",
                "budget-meter-1f0c2a10-8f1e-4a33-9d1f-0b0c1d2e3f40-StreamThread-3")).isEqualTo("metering-1-3");
    }

    @Test
    void the_instance_id_is_read_from_any_place_kafka_streams_reads_it_main_consumer_first() {
        final Properties properties = new Properties();
        assertThat(ReplacedThreadMembers.instanceIdOf(properties)).isNull();
        properties.setProperty("group.instance.id", "plain");
        assertThat(ReplacedThreadMembers.instanceIdOf(properties)).isEqualTo("plain");
        properties.setProperty("consumer.group.instance.id", "consumer");
        assertThat(ReplacedThreadMembers.instanceIdOf(properties)).isEqualTo("consumer");
        properties.setProperty("main.consumer.group.instance.id", "main");
        assertThat(ReplacedThreadMembers.instanceIdOf(properties)).isEqualTo("main");
    }
}
