package dev.budgetmeter.bench.scenario;

import dev.budgetmeter.bench.report.Distribution;
import dev.budgetmeter.bench.report.Formats;
import dev.budgetmeter.bench.report.Goal;
import dev.budgetmeter.bench.report.ScenarioResult;
import dev.budgetmeter.bench.report.Table;
import java.util.List;

/**
 * How precisely abandoned streams are settled by the idle timeout. Immutable.
 *
 * @param streams               abandoned streams started
 * @param idleTimeoutMs         the application's idle timeout
 * @param punctuationIntervalMs the application's punctuation interval
 * @param allowedExcessMs       punctuation interval + 1 s: how late after the idle timeout a settlement may be
 * @param missing               streams whose settlement was not seen
 * @param withinBound           streams settled no later than idle timeout + allowed excess
 * @param excess                settlement visible - last event produced - idle timeout
 */
public record TimeoutResult(int streams, long idleTimeoutMs, long punctuationIntervalMs, long allowedExcessMs,
                            long missing, long withinBound, Distribution excess) implements ScenarioResult {

    @Override
    public List<Goal> goals() {
        final boolean allInTime = missing == 0 && withinBound == streams;
        return List.of(new Goal("timeout", "abandoned streams settled within idle timeout + punctuation + 1 s",
                "100% within " + (idleTimeoutMs + allowedExcessMs) + " ms",
                withinBound + "/" + streams + " (max excess " + Formats.fixed(excess.max(), 0) + " ms)", allInTime,
                missing == 0 ? "" : missing + " settlements not seen"));
    }

    @Override
    public List<Table> tables() {
        return List.of(new Table("Settlement after idle timeout: visible - last event - idle timeout, ms",
                List.of("streams", "idle timeout", "punctuation", "allowed excess", "within", "missing", "min", "p50",
                        "p90", "p99", "max"),
                List.of(List.of(Integer.toString(streams), Long.toString(idleTimeoutMs),
                        Long.toString(punctuationIntervalMs), Long.toString(allowedExcessMs),
                        Long.toString(withinBound), Long.toString(missing), Formats.fixed(excess.min(), 0),
                        Formats.fixed(excess.p50(), 0), Formats.fixed(excess.p90(), 0),
                        Formats.fixed(excess.p99(), 0), Formats.fixed(excess.max(), 0)))));
    }

    @Override
    public List<String> notes() {
        return List.of("Each abandoned stream writes a Reserve and two chunks, then nothing; the idle timeout"
                        + " settles it with a Commit of the observed usage (PARTIAL_ON_TIMEOUT).",
                "Excess = when a read_committed consumer saw the Commit - when the last chunk was handed to the"
                        + " producer - the idle timeout. Expected: up to one punctuation interval, plus processing"
                        + " and the exactly-once commit.");
    }
}
