package dev.budgetmeter.bench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes {@code results.md}: machine facts on top, then the goals, the chart and every scenario's tables. */
public final class MarkdownReport {

    public static final String FILE = "results.md";

    private final Map<String, String> titles;

    /** @param titles scenario id to its heading */
    public MarkdownReport(final Map<String, String> titles) {
        this.titles = Map.copyOf(titles);
    }

    /** Writes the results into {@code directory}. */
    public Path write(final BenchResults results, final Path directory, final String chartFile) {
        final Path file = directory.resolve(FILE);
        try {
            Files.writeString(file, render(results, chartFile), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    /** The report's Markdown. */
    public String render(final BenchResults results, final String chartFile) {
        final StringBuilder md = new StringBuilder();
        md.append("# Budget Meter benchmark results\n\n");
        md.append("Profile **").append(results.profile()).append("**, ").append(Formats.fixed(results.totalSeconds(), 0))
                .append(" s in total. Command:\n\n```\n").append(results.command()).append("\n```\n\n");
        md.append("The machines are shared and noisy: every figure is a ratio to a baseline taken in the same run, or a"
                + " distribution. No timing is asserted by any test.\n\n");
        table(md, machine(results.machine()));
        table(md, new Table("Goals", List.of("scenario", "figure", "goal", "measured", "verdict", "note"),
                results.goals().stream().map(goal -> List.of(goal.scenario(), goal.name(), goal.target(),
                        goal.value(), goal.verdict(), goal.note())).toList()));
        md.append("![charts](").append(chartFile).append(")\n\n");
        results.scenarios().forEach((id, result) -> {
            md.append("## ").append(titles.getOrDefault(id, id)).append("\n\n");
            result.notes().forEach(note -> md.append("- ").append(note).append('\n'));
            md.append('\n');
            result.tables().forEach(table -> table(md, table));
        });
        return md.toString();
    }

    private static Table machine(final MachineFacts facts) {
        return new Table("Machine", List.of("fact", "value"), List.of(
                List.of("timestamp (UTC)", facts.timestamp()),
                List.of("cores", Integer.toString(facts.cores())),
                List.of("memory", facts.memoryMb() + " MB"),
                List.of("max heap", facts.maxHeapMb() + " MB"),
                List.of("load average at start", Formats.fixed(facts.loadAverage(), 2)),
                List.of("OS", facts.os()),
                List.of("JVM", facts.jvm()),
                List.of("Kafka (clients, Streams, broker)", facts.kafkaVersion()),
                List.of("Avro", facts.avroVersion()),
                List.of("JMH", facts.jmhVersion()),
                List.of("git commit", facts.gitCommit())));
    }

    private static void table(final StringBuilder md, final Table table) {
        md.append("### ").append(table.title()).append("\n\n");
        row(md, table.header());
        md.append('|').append(" --- |".repeat(table.header().size())).append('\n');
        table.rows().forEach(row -> row(md, row));
        md.append('\n');
    }

    private static void row(final StringBuilder md, final List<String> cells) {
        md.append('|');
        cells.forEach(cell -> md.append(' ').append(cell.replace("|", "\\|")).append(" |"));
        md.append('\n');
    }
}
