package dev.budgetmeter.producer;

import static dev.budgetmeter.producer.ConsumedEvents.chunks;
import static dev.budgetmeter.producer.ConsumedEvents.coalescedChunks;
import static dev.budgetmeter.producer.ConsumedEvents.contiguousSeqs;
import static dev.budgetmeter.producer.ConsumedEvents.ofType;
import static dev.budgetmeter.producer.ConsumedEvents.outputTokens;
import static dev.budgetmeter.producer.ConsumedEvents.seqs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.budgetmeter.localstack.KafkaStack;
import dev.budgetmeter.localstack.junit.WithKafkaStack;
import dev.budgetmeter.schemas.Chunk;
import dev.budgetmeter.schemas.StreamEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chunk coalescing on the real topic: at most one chunk event per interval or per threshold of tokens, exact sums,
 * and pending tokens of an idle stream written by the background flusher.
 */
@WithKafkaStack
class ChunkCoalescingTest {

    private static final Logger LOG = LoggerFactory.getLogger(ChunkCoalescingTest.class);
    private static final Duration NEVER_BY_TIME = Duration.ofHours(1);

    private final StreamEventsTopic topic;

    ChunkCoalescingTest(final KafkaStack stack) {
        this.topic = StreamEventsTopic.create(stack);
    }

    @AfterEach
    void closeTopic() {
        topic.close();
    }

    private static StreamReservation reservation() {
        return StreamReservation.builder().subject(Subject.tenant("acme")).action("llm.completion", "gpt-4o")
                .estimate(Amount.usdMicrocents(2_000_000)).build();
    }

    @Test
    void a_thousand_one_token_chunks_become_a_few_chunk_events_with_exact_sums() {
        final String reservationId;
        final MeterMetrics metrics;
        try (BudgetMeter meter = topic.meter().build()) {
            try (MeteredStream stream = meter.open(reservation())) {
                reservationId = stream.reservationId();
                final long start = System.nanoTime();
                for (int i = 0; i < 1_000; i++) {
                    stream.chunk(1);
                }
                LOG.info("1,000 chunk() calls took {} us", (System.nanoTime() - start) / 1_000);
                stream.usage(20, 1_000);
                stream.complete().join();
            }
            metrics = meter.metrics();
        }

        final List<StreamEvent> events = topic.stream(reservationId);
        final int chunkEvents = ofType(events, EventType.CHUNK).size();
        LOG.info("1,000 one-token chunks with the default coalescing: {} chunk events ({}x fewer)", chunkEvents,
                1_000 / chunkEvents);
        assertThat(chunkEvents).isBetween(1, (int) (1_000 / BudgetMeter.Builder.DEFAULT_CHUNK_TOKEN_THRESHOLD) + 1);
        assertThat(outputTokens(events)).isEqualTo(1_000);
        assertThat(coalescedChunks(events)).isEqualTo(1_000);
        assertThat(seqs(events)).isEqualTo(contiguousSeqs(events.size()));
        assertThat(metrics.chunkCalls()).isEqualTo(1_000);
        assertThat(metrics.chunkEvents()).isEqualTo(chunkEvents);
        assertThat(metrics.coalescingFactor()).isGreaterThanOrEqualTo(10);
    }

    @Test
    void the_token_threshold_alone_triggers_a_chunk_event_and_bounds_it_from_below() {
        final long threshold = 50;
        final String reservationId;
        try (BudgetMeter meter = topic.meter().chunkInterval(NEVER_BY_TIME).chunkTokenThreshold(threshold).build();
             MeteredStream stream = meter.open(reservation())) {
            reservationId = stream.reservationId();
            for (int i = 0; i < threshold; i++) {
                stream.chunk(1);
            }
            final List<StreamEvent> firstWritten =
                    topic.awaitStream(reservationId, written -> !chunks(written).isEmpty());
            assertThat(chunks(firstWritten)).extracting(Chunk::getTokensOutput).containsExactly(threshold);

            for (int i = 0; i < 1_000; i++) {
                stream.chunk(1);
            }
            stream.usage(0, 1_000 + threshold);
            stream.complete().join();
        }

        final List<Chunk> chunks = chunks(topic.stream(reservationId));
        assertThat(chunks).hasSizeBetween(2, (int) (1_000 / threshold) + 2);
        assertThat(chunks.subList(0, chunks.size() - 1))
                .allSatisfy(chunk -> assertThat(chunk.getTokensOutput()).isGreaterThanOrEqualTo(threshold));
        assertThat(chunks.stream().mapToLong(Chunk::getTokensOutput).sum()).isEqualTo(1_000 + threshold);
    }

    @Test
    void chunk_events_due_by_time_are_at_least_one_interval_apart() throws InterruptedException {
        final Duration interval = Duration.ofMillis(100);
        final int calls = 150;
        final String reservationId;
        final long elapsedMillis;
        try (BudgetMeter meter = topic.meter().chunkInterval(interval).chunkTokenThreshold(Long.MAX_VALUE).build();
             MeteredStream stream = meter.open(reservation())) {
            reservationId = stream.reservationId();
            final long start = System.nanoTime();
            chunkEvery2Millis(stream, calls);
            elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            stream.usage(0, calls);
            stream.complete().join();
        }

        final List<StreamEvent> chunkEvents = ofType(topic.stream(reservationId), EventType.CHUNK);
        LOG.info("{} one-token chunks over {} ms with a {} ms interval: {} chunk events", calls, elapsedMillis,
                interval.toMillis(), chunkEvents.size());
        assertThat(chunkEvents.size()).isBetween(2, (int) (elapsedMillis / interval.toMillis()) + 2);
        // The last one is the flush before the usage event, due or not.
        for (int i = 1; i < chunkEvents.size() - 1; i++) {
            final Duration gap = Duration.between(chunkEvents.get(i - 1).getOccurredAt(),
                    chunkEvents.get(i).getOccurredAt());
            assertThat(gap).as("gap before chunk event %d", i).isGreaterThanOrEqualTo(interval);
        }
        assertThat(outputTokens(chunkEvents)).isEqualTo(calls);
    }

    @Test
    void pending_tokens_of_an_idle_stream_are_written_without_further_calls() {
        try (BudgetMeter meter = topic.meter().chunkInterval(Duration.ofMillis(100)).build();
             MeteredStream stream = meter.open(reservation())) {
            stream.chunk(7);

            final List<StreamEvent> events = topic.awaitStream(stream.reservationId(),
                    written -> outputTokens(written) == 7);

            assertThat(stream.isEnded()).isFalse();
            assertThat(ConsumedEvents.types(events)).containsExactly(EventType.RESERVE, EventType.CHUNK);
            stream.complete().join();
        }
    }

    private static void chunkEvery2Millis(final MeteredStream stream, final int calls) throws InterruptedException {
        final ScheduledExecutorService provider = Executors.newSingleThreadScheduledExecutor();
        try {
            final AtomicInteger made = new AtomicInteger();
            final CountDownLatch done = new CountDownLatch(1);
            provider.scheduleAtFixedRate(() -> {
                if (made.get() < calls) {
                    stream.chunk(1);
                    if (made.incrementAndGet() == calls) {
                        done.countDown();
                    }
                }
            }, 0, 2, TimeUnit.MILLISECONDS);
            assertThat(done.await(30, TimeUnit.SECONDS)).as("simulated provider finished").isTrue();
        } finally {
            provider.shutdownNow();
        }
    }
}
