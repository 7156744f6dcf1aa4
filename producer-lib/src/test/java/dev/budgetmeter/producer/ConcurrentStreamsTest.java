package dev.budgetmeter.producer;

import static dev.budgetmeter.producer.ConsumedEvents.chunks;
import static dev.budgetmeter.producer.ConsumedEvents.coalescedChunks;
import static dev.budgetmeter.producer.ConsumedEvents.contiguousSeqs;
import static dev.budgetmeter.producer.ConsumedEvents.end;
import static dev.budgetmeter.producer.ConsumedEvents.outputTokens;
import static dev.budgetmeter.producer.ConsumedEvents.seqs;
import static dev.budgetmeter.producer.ConsumedEvents.types;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.budgetmeter.localstack.KafkaStack;
import dev.budgetmeter.localstack.junit.WithKafkaStack;
import dev.budgetmeter.schemas.Chunk;
import dev.budgetmeter.schemas.Outcome;
import dev.budgetmeter.schemas.StreamEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One meter, 8 threads, 1,000 streams of 5-20 events, 25 of them open per thread at a time with their chunks
 * interleaved: every event arrives, in order, with contiguous seq and exact sums. With coalescing, a threshold of 4
 * tokens makes most chunk calls ask the flusher thread for a write, and each thread's next round of chunks waits
 * until the flusher wrote something, so flusher writes interleave with the callers' chunk, usage and end calls
 * instead of trailing behind them.
 */
@WithKafkaStack
class ConcurrentStreamsTest {

    private static final Logger LOG = LoggerFactory.getLogger(ConcurrentStreamsTest.class);
    private static final int THREADS = 8;
    private static final int STREAMS_PER_THREAD = 125;
    private static final int OPEN_AT_ONCE = 25;
    private static final int MAX_CHUNKS = 17;
    private static final Duration BOUND = Duration.ofSeconds(120);

    private final StreamEventsTopic topic;

    ConcurrentStreamsTest(final KafkaStack stack) {
        this.topic = StreamEventsTopic.create(stack);
    }

    @AfterEach
    void closeTopic() {
        topic.close();
    }

    /** The provider chunks of one stream, in order: 2-17 of 1-5 tokens, so 5-20 events without coalescing. */
    private record Plan(List<Long> chunkTokens) {

        static Plan random(final Random random) {
            final int chunks = 2 + random.nextInt(MAX_CHUNKS - 1);
            return new Plan(IntStream.range(0, chunks).mapToObj(i -> 1L + random.nextInt(5)).toList());
        }

        long tokens() {
            return chunkTokens.stream().mapToLong(Long::longValue).sum();
        }
    }

    @ParameterizedTest(name = "coalescing {0}")
    @ValueSource(booleans = {true, false})
    void a_thousand_streams_from_eight_threads_lose_and_reorder_nothing(final boolean coalescing) throws Exception {
        final Map<String, Plan> plans = new ConcurrentHashMap<>();
        final Queue<CompletableFuture<Void>> outcomes = new ConcurrentLinkedQueue<>();
        final MeterMetrics metrics;
        final long start = System.nanoTime();
        try (BudgetMeter meter = topic.meter().coalescing(coalescing).chunkInterval(Duration.ofMillis(1))
                .chunkTokenThreshold(4).build()) {
            final ExecutorService workers = Executors.newFixedThreadPool(THREADS);
            try {
                final List<Future<?>> done = new ArrayList<>();
                for (int worker = 0; worker < THREADS; worker++) {
                    final Random random = new Random(worker);
                    done.add(workers.submit(() -> runWorker(meter, random, plans, outcomes, coalescing)));
                }
                for (final Future<?> worker : done) {
                    worker.get(BOUND.toSeconds(), TimeUnit.SECONDS);
                }
            } finally {
                workers.shutdownNow();
            }
            CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new))
                    .get(BOUND.toSeconds(), TimeUnit.SECONDS);
            metrics = meter.metrics();
        }
        final long producedMillis = (System.nanoTime() - start) / 1_000_000;

        final Map<String, List<StreamEvent>> written = topic.streams();
        LOG.info("coalescing {}: {} streams, {} events produced and acknowledged in {} ms; {}", coalescing,
                written.size(), metrics.eventsDelivered(), producedMillis, metrics);
        assertThat(written.keySet()).containsExactlyInAnyOrderElementsOf(plans.keySet()).hasSize(1_000);
        plans.forEach((reservationId, plan) -> assertStream(written.get(reservationId), plan, coalescing));
        assertThat(written.values().stream().mapToLong(List::size).sum()).isEqualTo(metrics.eventsSent());
        assertThat(metrics.eventsDelivered()).isEqualTo(metrics.eventsSent());
        assertThat(metrics.eventsFailed()).isZero();
        assertThat(metrics.eventsRefused()).isZero();
        assertThat(metrics.chunkCalls())
                .isEqualTo(plans.values().stream().mapToLong(plan -> plan.chunkTokens().size()).sum());
        assertThat(metrics.streamsOpened()).isEqualTo(1_000);
        assertThat(metrics.streamsOpen()).isZero();
    }

    private static void runWorker(final BudgetMeter meter, final Random random, final Map<String, Plan> plans,
            final Queue<CompletableFuture<Void>> outcomes, final boolean coalescing) {
        for (int batch = 0; batch < STREAMS_PER_THREAD / OPEN_AT_ONCE; batch++) {
            final List<MeteredStream> streams = new ArrayList<>();
            final List<Plan> batchPlans = new ArrayList<>();
            for (int i = 0; i < OPEN_AT_ONCE; i++) {
                final MeteredStream stream = meter.open(StreamReservation.builder().subject(Subject.tenant("acme"))
                        .action("llm.completion", "gpt-4o").estimate(Amount.tokens(100)).build());
                final Plan plan = Plan.random(random);
                plans.put(stream.reservationId(), plan);
                streams.add(stream);
                batchPlans.add(plan);
            }
            for (int round = 0; round < MAX_CHUNKS; round++) {
                final long chunkEventsBefore = meter.metrics().chunkEvents();
                boolean chunked = false;
                for (int i = 0; i < OPEN_AT_ONCE; i++) {
                    final List<Long> chunkTokens = batchPlans.get(i).chunkTokens();
                    if (round < chunkTokens.size()) {
                        streams.get(i).chunk(chunkTokens.get(round));
                        chunked = true;
                    }
                }
                // A round past every plan's last chunk adds nothing, so no flusher write may follow it: waiting for
                // one would hang whenever the other threads are done and the flusher wrote everything already.
                if (coalescing && chunked) {
                    await("the flusher's progress").atMost(BOUND).pollInterval(Duration.ofMillis(1))
                            .until(() -> meter.metrics().chunkEvents() > chunkEventsBefore);
                }
            }
            for (int i = 0; i < OPEN_AT_ONCE; i++) {
                streams.get(i).usage(10, batchPlans.get(i).tokens());
                outcomes.add(streams.get(i).complete());
            }
        }
    }

    private static void assertStream(final List<StreamEvent> events, final Plan plan, final boolean coalescing) {
        final List<EventType> types = types(events);
        assertThat(seqs(events)).isEqualTo(contiguousSeqs(events.size()));
        assertThat(types.get(0)).isEqualTo(EventType.RESERVE);
        assertThat(types.subList(1, types.size() - 2)).containsOnly(EventType.CHUNK);
        assertThat(types.subList(types.size() - 2, types.size())).containsExactly(EventType.USAGE, EventType.END);
        assertThat(end(events).getOutcome()).isEqualTo(Outcome.COMPLETED);
        assertThat(outputTokens(events)).isEqualTo(plan.tokens());
        assertThat(coalescedChunks(events)).isEqualTo(plan.chunkTokens().size());
        if (!coalescing) {
            assertThat(chunks(events)).extracting(Chunk::getTokensOutput).isEqualTo(plan.chunkTokens());
        }
    }
}
