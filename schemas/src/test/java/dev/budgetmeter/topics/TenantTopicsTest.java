package dev.budgetmeter.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TenantTopicsTest {

    @Test
    void a_tenant_topic_is_the_input_topic_a_dot_and_the_tenant_and_names_its_tenant_back() {
        final String name = TenantTopics.name("budget.", "acme.eu-1");

        assertThat(name).isEqualTo("budget.stream-events.acme.eu-1");
        assertThat(TenantTopics.tenantOf("budget.", name)).contains("acme.eu-1");
        assertThat(TenantTopics.pattern("budget.").matcher(name).matches()).isTrue();
    }

    @Test
    void the_shared_input_topic_and_other_deployments_topics_are_no_tenant_topics() {
        assertThat(TenantTopics.tenantOf("budget.", "budget.stream-events")).isEmpty();
        assertThat(TenantTopics.tenantOf("budget.", "budget.stream-events.")).isEmpty();
        assertThat(TenantTopics.tenantOf("budget.", "budgetXstream-events.acme")).isEmpty();
        assertThat(TenantTopics.tenantOf("budget.", "other.stream-events.acme")).isEmpty();
        assertThat(TenantTopics.tenantOf("budget.", "budget.commands")).isEmpty();
    }

    @Test
    void a_tenant_that_cannot_name_a_topic_is_refused_with_the_rule() {
        assertThat(TenantTopics.namesTopic("acme corp")).isFalse();
        assertThat(TenantTopics.namesTopic("")).isFalse();
        assertThat(TenantTopics.namesTopic("a".repeat(TenantTopics.MAX_TENANT_LENGTH + 1))).isFalse();
        assertThatThrownBy(() -> TenantTopics.name("budget.", "acme/eu"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot name a topic");
    }
}
