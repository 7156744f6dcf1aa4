package dev.budgetmeter.localstack;

import dev.budgetmeter.localstack.junit.WithKafkaStack;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@WithKafkaStack
class SharedStackSecondClassTest {

    @Test
    void another_class_gets_the_same_stack_as_local_kafka_stack(final KafkaStack stack, final LocalKafkaStack local) {
        assertThat(local).isSameAs(stack);
        assertThat(local.broker().isRunning()).isTrue();
        SharedStacksSeen.record(stack);
    }
}
