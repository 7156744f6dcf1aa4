package dev.budgetmeter.bench.scenario;

import dev.budgetmeter.bench.jmh.ProducerOverheadBenchmark;
import dev.budgetmeter.bench.report.Formats;
import dev.budgetmeter.bench.report.Goal;
import dev.budgetmeter.bench.report.ScenarioResult;
import dev.budgetmeter.bench.report.Table;
import java.util.List;

/**
 * JMH figures of the producer library's {@code chunk()} against a raw send of pre-serialized chunk events of the
 * same size. Immutable.
 *
 * @param rows             one per benchmark
 * @param perEventToRaw    chunk() without coalescing / raw send
 * @param coalescedToRaw   chunk() with coalescing / raw send
 * @param jmhSettings      forks, iterations and their length
 */
public record ProducerOverheadResult(List<Row> rows, double perEventToRaw, double coalescedToRaw,
                                     String jmhSettings) implements ScenarioResult {

    /** The goal: at most this many times the raw send. */
    public static final double RATIO_GOAL = 1.5;

    /**
     * One benchmark.
     *
     * @param benchmark       JMH method name
     * @param label           what it measures
     * @param nsPerOp         average time per call
     * @param errorNs         JMH's 99.9% confidence half-width, NaN with too few iterations
     * @param allocBytesPerOp bytes allocated per call ({@code gc.alloc.rate.norm}), or null
     */
    public record Row(String benchmark, String label, double nsPerOp, double errorNs, Double allocBytesPerOp) {
    }

    @Override
    public List<Goal> goals() {
        return List.of(
                new Goal("producer", "chunk() without coalescing / raw KafkaProducer.send", "<= 1.5x",
                        Formats.fixed(perEventToRaw, 2) + "x", perEventToRaw <= RATIO_GOAL, ""),
                new Goal("producer", "chunk() with coalescing / raw KafkaProducer.send", "<= 1.5x",
                        Formats.fixed(coalescedToRaw, 3) + "x", coalescedToRaw <= RATIO_GOAL, ""));
    }

    @Override
    public List<Table> tables() {
        final List<List<String>> cells = rows.stream().map(row -> List.of(row.label(),
                Formats.fixed(row.nsPerOp(), 1), Double.isNaN(row.errorNs()) ? "n/a" : Formats.fixed(row.errorNs(), 1),
                Formats.fixedOrNa(row.allocBytesPerOp(), 1))).toList();
        return List.of(new Table("Producer hot path (JMH, average time per call)",
                List.of("call", "ns/op", "± (99.9%)", "bytes allocated/op"), cells));
    }

    @Override
    public List<String> notes() {
        return List.of(
                "JMH " + jmhSettings + ", GC profiler (gc.alloc.rate.norm), against the run's local broker; the"
                        + " raw producer gets the meter's own producer config (BudgetMeter.Builder#producerConfig:"
                        + " acks=all, idempotent, lz4, one request in flight) and sends pre-serialized chunk events,"
                        + " a distinct one per call (own event id, as the library's), so LZ4 sees the same data.",
                "Each invocation makes " + ProducerOverheadBenchmark.BATCH + " calls, then waits (untimed) until the"
                        + " broker acknowledged them, so no call waits for buffer space: the figures are the calling"
                        + " thread's cost. In a tight loop the buffer would fill and every variant would measure how"
                        + " fast the broker on the same cores drains it.",
                "With coalescing, chunk() only adds to counters: a background flusher writes one event per 100"
                        + " tokens or 250 ms. Without it, every chunk() writes and sends one event (chunk events are"
                        + " written from their numbers into a layout checked against the registry serializer's bytes).");
    }
}
