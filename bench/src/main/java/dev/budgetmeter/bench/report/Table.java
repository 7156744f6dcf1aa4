package dev.budgetmeter.bench.report;

import java.util.List;

/**
 * A table of formatted cells for the Markdown report. Immutable.
 *
 * @param title  heading shown above the table
 * @param header column names
 * @param rows   cells, one list per row, as many as the header
 */
public record Table(String title, List<String> header, List<List<String>> rows) {

    public Table {
        header = List.copyOf(header);
        rows = rows.stream().map(List::copyOf).toList();
        for (final List<String> row : rows) {
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("row " + row + " does not have the " + header.size()
                        + " cells of " + header);
            }
        }
    }
}
