package dev.budgetmeter.localstack;

import dev.budgetmeter.localstack.junit.WithKafkaStack;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@WithKafkaStack
class SharedStackFirstClassTest {

    private static KafkaStack fromBeforeAll;

    private final KafkaStack fromConstructor;

    SharedStackFirstClassTest(final KafkaStack fromConstructor) {
        this.fromConstructor = fromConstructor;
    }

    @BeforeAll
    static void rememberStack(final KafkaStack stack) {
        fromBeforeAll = stack;
    }

    @Test
    void constructor_lifecycle_and_test_parameters_get_the_one_stack_of_this_jvm(final KafkaStack fromMethod) {
        assertThat(fromConstructor).isSameAs(fromMethod).isSameAs(fromBeforeAll);
        SharedStacksSeen.record(fromMethod);
    }
}
