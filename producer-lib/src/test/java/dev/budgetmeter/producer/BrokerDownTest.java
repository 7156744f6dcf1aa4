package dev.budgetmeter.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.budgetmeter.localstack.KafkaStack;
import dev.budgetmeter.localstack.junit.WithKafkaStack;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Unreachable parts: opening a stream fails within the configured bound with a message naming what is down, and the
 * failure reaches the listener and the counters. The schema registry is the real one unless it is the part down.
 */
@WithKafkaStack
class BrokerDownTest {

    private static final Duration BOUND = Duration.ofSeconds(2);
    /** Slack for a loaded two-core machine. */
    private static final Duration MARGIN = Duration.ofSeconds(3);

    private final KafkaStack stack;

    BrokerDownTest(final KafkaStack stack) {
        this.stack = stack;
    }

    private static StreamReservation reservation() {
        return StreamReservation.builder().subject(Subject.tenant("acme")).action("llm.completion", "gpt-4o")
                .estimate(Amount.usdMicrocents(1_000)).build();
    }

    @Test
    void open_fails_within_the_bound_naming_the_brokers() throws IOException {
        final String servers = "127.0.0.1:" + closedPort();
        final List<DeliveryFailedException> told = new CopyOnWriteArrayList<>();
        try (BudgetMeter meter = BudgetMeter.builder().bootstrapServers(servers)
                .schemaRegistryUrl(stack.schemaRegistryUrl()).blockTimeout(BOUND).deliveryListener(told::add)
                .build()) {
            final StreamReservation reservation = reservation();

            final long start = System.nanoTime();
            assertThatThrownBy(() -> meter.open(reservation))
                    .isInstanceOf(DeliveryFailedException.class)
                    .hasMessageContaining("Kafka broker not reachable at " + servers)
                    .hasMessageContaining("within 2000 ms")
                    .hasMessageContaining(reservation.reservationId());
            final Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(took).isBetween(BOUND.minusMillis(100), BOUND.plus(MARGIN));
            assertThat(told).singleElement().satisfies(failure -> {
                assertThat(failure.eventType()).isEqualTo(EventType.RESERVE);
                assertThat(failure.seq()).isZero();
                assertThat(failure.reservationId()).isEqualTo(reservation.reservationId());
            });
            assertThat(meter.metrics().eventsRefused()).isEqualTo(1);
            assertThat(meter.metrics().streamsOpen()).isZero();
        }
    }

    @Test
    void open_fails_within_the_bound_naming_the_schema_registry() throws IOException {
        final String registry = "http://127.0.0.1:" + closedPort();
        try (BudgetMeter meter = BudgetMeter.builder().bootstrapServers(stack.bootstrapServers())
                .schemaRegistryUrl(registry).blockTimeout(BOUND).build()) {
            final long start = System.nanoTime();

            assertThatThrownBy(() -> meter.open(reservation()))
                    .isInstanceOf(DeliveryFailedException.class)
                    .hasMessageContaining("Schema registry unavailable at [" + registry + "]");

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND.plus(MARGIN));
        }
    }

    @Test
    void close_returns_within_its_bound_when_the_broker_is_down() throws IOException {
        final BudgetMeter meter = BudgetMeter.builder().bootstrapServers("127.0.0.1:" + closedPort())
                .schemaRegistryUrl(stack.schemaRegistryUrl()).blockTimeout(BOUND).build();

        final long start = System.nanoTime();
        meter.close(BOUND);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND.plus(MARGIN));
    }

    /** A port that was just free: bound, then released, so nothing listens on it. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
