package dev.budgetmeter.localstack;

import dev.budgetmeter.localstack.junit.WithKafkaStack;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@WithKafkaStack
class SharedStackSecondClassTest {

    @Test
    void anotherClassGetsTheSameStackAsLocalKafkaStack(final KafkaStack stack, final LocalKafkaStack local) {
        assertThat(local).isSameAs(stack);
        assertThat(local.broker().isRunning()).isTrue();
        SharedStacksSeen.record(stack);
    }
}
