package dev.budgetmeter.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SubjectTest {

    @Test
    void buildsTheScopePathFluentlyAndSkipsGaps() {
        final Subject subject = Subject.tenant("acme").workspace("prod").agent("bot").dimension("region", "eu");

        assertThat(subject.tenant()).isEqualTo("acme");
        assertThat(subject.workspace()).contains("prod");
        assertThat(subject.app()).isEmpty();
        assertThat(subject.agent()).contains("bot");
        assertThat(subject.dimensions()).isEqualTo(Map.of("region", "eu"));
        assertThat(subject).hasToString("tenant:acme/workspace:prod/agent:bot {region=eu}");
    }

    @Test
    void everyStepReturnsANewSubjectAndLeavesTheOldOneAlone() {
        final Subject tenant = Subject.tenant("acme");

        final Subject agent = tenant.agent("bot");

        assertThat(tenant.agent()).isEmpty();
        assertThat(agent).isNotEqualTo(tenant).isEqualTo(Subject.tenant("acme").agent("bot"));
        assertThat(agent.hashCode()).isEqualTo(Subject.tenant("acme").agent("bot").hashCode());
    }

    @Test
    void refusesBlankOrOverlongLevelsNamingTheLevel() {
        assertThatThrownBy(() -> Subject.tenant(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subject.tenant");
        assertThatThrownBy(() -> Subject.tenant("acme").workspace("w".repeat(Subject.MAX_LEVEL_LENGTH + 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("subject.workspace").hasMessageContaining("128");
        assertThatThrownBy(() -> Subject.tenant("acme").toolset(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subject.toolset");
    }
}
