package dev.budgetmeter.localstack;

import dev.budgetmeter.localstack.junit.WithKafkaStack;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@WithKafkaStack
class RegistryCompatibilityTest {

    private static final String V1 = "{\"type\":\"record\",\"name\":\"Budget\",\"namespace\":\"dev.budgetmeter.test\","
            + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}";
    private static final String V2_NEW_FIELD_WITHOUT_DEFAULT =
            "{\"type\":\"record\",\"name\":\"Budget\",\"namespace\":\"dev.budgetmeter.test\","
                    + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"limit\",\"type\":\"long\"}]}";
    private static final String V2_NEW_FIELD_WITH_DEFAULT =
            "{\"type\":\"record\",\"name\":\"Budget\",\"namespace\":\"dev.budgetmeter.test\","
                    + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
                    + "{\"name\":\"limit\",\"type\":\"long\",\"default\":0}]}";

    @Test
    void global_compatibility_is_backward_like_confluents_default(final KafkaStack stack) throws Exception {
        assertThat(RegistryHttpCalls.get(stack.schemaRegistryUrl() + "/config").body())
                .contains("\"compatibilityLevel\":\"BACKWARD\"");
        SharedStacksSeen.record(stack);
    }

    @Test
    void backward_incompatible_schema_is_rejected_and_a_compatible_one_accepted(final KafkaStack stack) throws Exception {
        // Given version 1 of a subject
        final String subject = "compatibility-test-value";
        assertThat(RegistryHttpCalls.register(stack.schemaRegistryUrl(), subject, V1).statusCode()).isEqualTo(200);

        // When a new required field without default comes, then it is refused (new readers could not read old data)
        assertThat(RegistryHttpCalls.register(stack.schemaRegistryUrl(), subject, V2_NEW_FIELD_WITHOUT_DEFAULT)
                .statusCode()).isEqualTo(409);

        // And with a default it is accepted
        assertThat(RegistryHttpCalls.register(stack.schemaRegistryUrl(), subject, V2_NEW_FIELD_WITH_DEFAULT)
                .statusCode()).isEqualTo(200);
    }
}
