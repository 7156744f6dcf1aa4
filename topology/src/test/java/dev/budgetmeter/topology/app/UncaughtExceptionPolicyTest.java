package dev.budgetmeter.topology.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.budgetmeter.registry.SchemaRegistryRequestException;
import dev.budgetmeter.registry.SchemaRegistryUnavailableException;
import java.util.List;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

/**
 * What a stream thread's failure leads to, as {@link MeteringApp} and {@link DeadLetterProcessingExceptionHandler}
 * document it: a transient cause replaces the thread (the uncommitted record is processed again when the cause is
 * gone); a registry that refuses our requests, or anything else, shuts the client down with the error.
 */
class UncaughtExceptionPolicyTest {

    @Test
    void an_unreachable_registry_replaces_the_thread_so_the_record_is_processed_again_once_it_answers() {
        final Throwable failure = new StreamsException(new RuntimeException(new SchemaRegistryUnavailableException(
                List.of("http://registry:8081"), 2, 100L, "connection refused", null)));

        assertThat(MeteringApp.onUncaught(failure)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }

    @Test
    void a_broker_that_times_out_replaces_the_thread() {
        assertThat(MeteringApp.onUncaught(new StreamsException(new TimeoutException("no answer"))))
                .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }

    @Test
    void a_registry_that_refuses_our_requests_shuts_the_client_down_instead_of_retrying_forever() {
        final Throwable failure = new StreamsException(new SchemaRegistryRequestException("GET /schemas/ids/7",
                401, 40101, "Unauthorized"));

        assertThat(MeteringApp.onUncaught(failure)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void a_bug_shuts_the_client_down() {
        assertThat(MeteringApp.onUncaught(new StreamsException(new IllegalStateException("bug"))))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }
}
