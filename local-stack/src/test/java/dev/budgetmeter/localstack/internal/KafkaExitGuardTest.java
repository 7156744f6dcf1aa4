package dev.budgetmeter.localstack.internal;

import org.apache.kafka.common.utils.Exit;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaExitGuardTest {

    @Test
    void kafka_halt_and_exit_throw_instead_of_ending_the_jvm() {
        KafkaExitGuard.install();

        assertThatThrownBy(() -> Exit.halt(1))
                .isInstanceOf(KafkaExitGuard.KafkaHaltRequestedException.class)
                .hasMessageContaining("Exit.halt(1)")
                .hasMessageContaining("'org.apache.kafka'");
        assertThatThrownBy(() -> Exit.exit(2, "fatal"))
                .isInstanceOf(KafkaExitGuard.KafkaHaltRequestedException.class)
                .hasMessageContaining("Exit.exit(2) (fatal)");
    }
}
