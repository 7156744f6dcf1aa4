package dev.budgetmeter.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SubjectTest {

    @Test
    void builds_the_scope_path_fluently_and_skips_gaps() {
        final Subject subject = Subject.tenant("acme").workspace("prod").agent("bot").dimension("region", "eu");

        assertThat(subject.tenant()).isEqualTo("acme");
        assertThat(subject.workspace()).contains("prod");
        assertThat(subject.app()).isEmpty();
        assertThat(subject.agent()).contains("bot");
        assertThat(subject.dimensions()).isEqualTo(Map.of("region", "eu"));
        assertThat(subject).hasToString("tenant:acme/workspace:prod/agent:bot {region=eu}");
    }

    @Test
    void every_step_returns_a_new_subject_and_leaves_the_old_one_alone() {
        final Subject tenant = Subject.tenant("acme");

        final Subject agent = tenant.agent("bot");

        assertThat(tenant.agent()).isEmpty();
        assertThat(agent).isNotEqualTo(tenant).isEqualTo(Subject.tenant("acme").agent("bot"));
        assertThat(agent.hashCode()).isEqualTo(Subject.tenant("acme").agent("bot").hashCode());
    }

    @Test
    void refuses_blank_or_overlong_levels_naming_the_level() {
        assertThatThrownBy(() -> Subject.tenant(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subject.tenant");
        assertThatThrownBy(() -> Subject.tenant("acme").workspace("w".repeat(Subject.MAX_LEVEL_LENGTH + 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("subject.workspace").hasMessageContaining("128");
        assertThatThrownBy(() -> Subject.tenant("acme").toolset(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subject.toolset");
    }
}
