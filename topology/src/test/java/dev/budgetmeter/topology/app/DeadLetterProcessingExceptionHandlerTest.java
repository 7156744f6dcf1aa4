package dev.budgetmeter.topology.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.budgetmeter.registry.MockSchemaRegistry;
import dev.budgetmeter.registry.SchemaRegistryRequestException;
import dev.budgetmeter.registry.SchemaRegistryUnavailableException;
import dev.budgetmeter.schemas.DeadLetter;
import dev.budgetmeter.schemas.DeadLetterReason;
import dev.budgetmeter.topics.TopicRegistry;
import dev.budgetmeter.topics.Topics;
import dev.budgetmeter.topology.MeteringConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadLetterProcessingExceptionHandlerTest {

    private static final String SCOPE = "handler-test";
    private final Map<String, Object> settings = Map.of(MeteringConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + SCOPE);
    private final DeadLetterProcessingExceptionHandler handler = new DeadLetterProcessingExceptionHandler();

    @AfterEach
    void drop() {
        MockSchemaRegistry.drop(SCOPE);
    }

    @Test
    void a_record_that_makes_a_processor_throw_is_dead_lettered_with_its_bytes_and_processing_resumes() {
        handler.configure(settings);
        final byte[] value = {0, 0, 0, 0, 1, 7};

        final ProcessingExceptionHandler.Response response = handler.handleError(context(value),
                new Record<>("r1", "decoded", 5L), new IllegalStateException("bug"));

        assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
        final List<ProducerRecord<byte[], byte[]>> records = response.deadLetterQueueRecords();
        assertThat(records).hasSize(1);
        assertThat(records.get(0).topic()).isEqualTo("budget.dead-letters");
        assertThat(new String(records.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("r1");
        final DeadLetter deadLetter = TopicRegistry.create(Topics.DEFAULT_PREFIX, settings)
                .topic(Topics.DEAD_LETTERS).valueSerde().deserializer()
                .deserialize("budget.dead-letters", records.get(0).value());
        assertThat(deadLetter.getReason()).isEqualTo(DeadLetterReason.PROCESSING_ERROR);
        assertThat(deadLetter.getErrorMessage()).contains("processor lifecycle failed").contains("bug");
        assertThat(deadLetter.getValue().array()).isEqualTo(value);
        assertThat(deadLetter.getSourceOffset()).isEqualTo(42);
    }

    @Test
    void a_registry_outage_fails_so_the_record_is_retried_not_dead_lettered() {
        handler.configure(settings);

        final ProcessingExceptionHandler.Response response = handler.handleError(context(new byte[] {1}),
                new Record<>("r1", "decoded", 5L), new RuntimeException(
                        new SchemaRegistryUnavailableException(List.of("http://registry"), 2, 100L, "connection refused", null)));

        assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.FAIL);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
    }

    @Test
    void a_registry_that_refuses_our_requests_fails_too_so_the_record_is_not_lost_to_a_configuration_error() {
        handler.configure(settings);

        final ProcessingExceptionHandler.Response response = handler.handleError(context(new byte[] {1}),
                new Record<>("r1", "decoded", 5L), new RuntimeException(
                        new SchemaRegistryRequestException("GET /schemas/ids/7", 401, 40101, "Unauthorized")));

        assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.FAIL);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
    }

    private static ErrorHandlerContext context(final byte[] value) {
        return new ErrorHandlerContext() {
            @Override public String topic() { return "budget.stream-events"; }
            @Override public int partition() { return 3; }
            @Override public long offset() { return 42; }
            @Override public Headers headers() { return new RecordHeaders(); }
            @Override public String processorNodeId() { return "lifecycle"; }
            @Override public TaskId taskId() { return new TaskId(0, 3); }
            @Override public long timestamp() { return 1_700_000_000_000L; }
            @Override public byte[] sourceRawKey() { return "r1".getBytes(StandardCharsets.UTF_8); }
            @Override public byte[] sourceRawValue() { return value; }
        };
    }
}
