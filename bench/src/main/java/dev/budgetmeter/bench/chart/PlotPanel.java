package dev.budgetmeter.bench.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.Stroke;
import java.awt.geom.Path2D;
import java.util.List;
import java.util.function.DoubleFunction;

/** One titled panel of the chart: axes, lines, bars, reference lines and a legend, drawn with Java2D. */
final class PlotPanel {

    static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd)};
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Stroke DASHED = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
            new float[] {6, 4}, 0);
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 52;
    private static final int BOTTOM = 48;

    private final Graphics2D g;
    private final Rectangle plot;
    private int legendRow;

    PlotPanel(final Graphics2D g, final Rectangle bounds, final String title) {
        this.g = g;
        this.plot = new Rectangle(bounds.x + LEFT, bounds.y + TOP, bounds.width - LEFT - RIGHT,
                bounds.height - TOP - BOTTOM);
        g.setColor(Color.WHITE);
        g.fill(bounds);
        g.setColor(Color.LIGHT_GRAY);
        g.draw(new Rectangle(bounds.x + 2, bounds.y + 2, bounds.width - 4, bounds.height - 4));
        g.setColor(Color.BLACK);
        g.setFont(TITLE);
        g.drawString(title, bounds.x + 12, bounds.y + 22);
    }

    /** Writes a message in the middle instead of a plot, e.g. when the scenario did not run. */
    void message(final String text) {
        g.setFont(LABEL);
        g.setColor(Color.GRAY);
        final FontMetrics metrics = g.getFontMetrics();
        g.drawString(text, plot.x + (plot.width - metrics.stringWidth(text)) / 2, plot.y + plot.height / 2);
    }

    /** Draws both axes with tick labels formatted by {@code xFormat} and {@code yFormat}. */
    void axes(final Axis x, final Axis y, final String xLabel, final String yLabel,
              final DoubleFunction<String> xFormat, final DoubleFunction<String> yFormat) {
        yAxis(y, yLabel, yFormat);
        final FontMetrics metrics = g.getFontMetrics();
        int labelledUpTo = Integer.MIN_VALUE;
        for (final double tick : x.ticks()) {
            final int px = px(x, tick);
            g.setColor(Color.DARK_GRAY);
            g.drawLine(px, plot.y + plot.height, px, plot.y + plot.height + 4);
            final String text = xFormat.apply(tick);
            final int left = px - metrics.stringWidth(text) / 2;
            // Ticks close together keep their mark but only the first gets a label.
            if (left > labelledUpTo + 4) {
                g.drawString(text, left, plot.y + plot.height + 18);
                labelledUpTo = left + metrics.stringWidth(text);
            }
        }
        g.setColor(Color.BLACK);
        g.drawLine(plot.x, plot.y + plot.height, plot.x + plot.width, plot.y + plot.height);
        g.drawString(xLabel, plot.x + (plot.width - metrics.stringWidth(xLabel)) / 2, plot.y + plot.height + 36);
    }

    /** A line through the points, with a dot at each, and its legend entry. */
    void line(final Axis x, final Axis y, final double[] xs, final double[] ys, final Color color,
              final String label, final boolean dashed) {
        final Path2D.Double path = new Path2D.Double();
        for (int i = 0; i < xs.length; i++) {
            if (i == 0) {
                path.moveTo(px(x, xs[i]), py(y, ys[i]));
            } else {
                path.lineTo(px(x, xs[i]), py(y, ys[i]));
            }
        }
        final Stroke previous = g.getStroke();
        g.setColor(color);
        g.setStroke(dashed ? DASHED : new BasicStroke(2f));
        g.draw(path);
        g.setStroke(previous);
        if (!dashed) {
            for (int i = 0; i < xs.length; i++) {
                g.fillOval(px(x, xs[i]) - 3, py(y, ys[i]) - 3, 7, 7);
            }
        }
        legend(color, label, dashed);
    }

    /** A horizontal reference line at {@code value}, dashed, with its legend entry. */
    void reference(final Axis y, final double value, final Color color, final String label) {
        final Stroke previous = g.getStroke();
        g.setColor(color);
        g.setStroke(DASHED);
        g.drawLine(plot.x, py(y, value), plot.x + plot.width, py(y, value));
        g.setStroke(previous);
        legend(color, label, true);
    }

    /**
     * Grouped vertical bars on a categorical x axis, each labelled with its value.
     *
     * @param groups the categories
     * @param series one name per bar of a group
     * @param values values[group][series]
     */
    void bars(final Axis y, final List<String> groups, final List<String> series, final double[][] values,
              final DoubleFunction<String> format) {
        g.setFont(LABEL);
        final FontMetrics metrics = g.getFontMetrics();
        final int groupWidth = plot.width / groups.size();
        final int barWidth = Math.max(4, (groupWidth - 20) / series.size());
        for (int group = 0; group < groups.size(); group++) {
            final int groupX = plot.x + group * groupWidth + 10;
            for (int bar = 0; bar < series.size(); bar++) {
                final int top = py(y, values[group][bar]);
                g.setColor(PALETTE[bar % PALETTE.length]);
                g.fillRect(groupX + bar * barWidth, top, barWidth - 3, plot.y + plot.height - top);
                g.setColor(Color.DARK_GRAY);
                final String text = format.apply(values[group][bar]);
                g.drawString(text, groupX + bar * barWidth + (barWidth - 3 - metrics.stringWidth(text)) / 2, top - 3);
            }
            g.setColor(Color.BLACK);
            final String name = groups.get(group);
            g.drawString(name, groupX + (groupWidth - 20 - metrics.stringWidth(name)) / 2, plot.y + plot.height + 18);
        }
        for (int bar = 0; bar < series.size(); bar++) {
            legend(PALETTE[bar % PALETTE.length], series.get(bar), false);
        }
        g.setColor(Color.BLACK);
        g.drawLine(plot.x, plot.y + plot.height, plot.x + plot.width, plot.y + plot.height);
    }

    /** Lines of text, each in its colour, from the top left of the plot area. */
    void text(final List<String> lines, final List<Color> colors) {
        g.setFont(LABEL);
        for (int i = 0; i < lines.size(); i++) {
            g.setColor(colors.get(i));
            g.drawString(lines.get(i), plot.x - LEFT + 16, plot.y + 8 + i * 18);
        }
    }

    /** The y axis's tick labels, for bar charts that need only the vertical axis. */
    void yAxis(final Axis y, final String yLabel, final DoubleFunction<String> format) {
        g.setFont(LABEL);
        final FontMetrics metrics = g.getFontMetrics();
        for (final double tick : y.ticks()) {
            final int py = py(y, tick);
            g.setColor(new Color(0xeeeeee));
            g.drawLine(plot.x, py, plot.x + plot.width, py);
            g.setColor(Color.DARK_GRAY);
            final String text = format.apply(tick);
            g.drawString(text, plot.x - 6 - metrics.stringWidth(text), py + 4);
        }
        g.setColor(Color.BLACK);
        g.drawLine(plot.x, plot.y, plot.x, plot.y + plot.height);
        g.drawString(yLabel, plot.x - LEFT + 8, plot.y - 8);
    }

    /** A legend row of text only, for a figure that belongs to the panel but not to a line. */
    void note(final String text) {
        g.setFont(LABEL);
        final FontMetrics metrics = g.getFontMetrics();
        g.setColor(Color.DARK_GRAY);
        g.drawString(text, plot.x + plot.width - metrics.stringWidth(text) - 6, plot.y + 18 + legendRow * 16);
        legendRow++;
    }

    private void legend(final Color color, final String label, final boolean dashed) {
        g.setFont(LABEL);
        final FontMetrics metrics = g.getFontMetrics();
        final int x = plot.x + plot.width - metrics.stringWidth(label) - 34;
        final int y = plot.y + 6 + legendRow * 16;
        g.setColor(new Color(255, 255, 255, 220));
        g.fillRect(x - 4, y - 2, metrics.stringWidth(label) + 36, 16);
        final Stroke previous = g.getStroke();
        g.setColor(color);
        g.setStroke(dashed ? DASHED : new BasicStroke(3f));
        g.drawLine(x, y + 7, x + 22, y + 7);
        g.setStroke(previous);
        g.setColor(Color.BLACK);
        g.drawString(label, x + 28, y + 12);
        legendRow++;
    }

    private int px(final Axis x, final double value) {
        return plot.x + (int) Math.round(x.fraction(value) * plot.width);
    }

    private int py(final Axis y, final double value) {
        return plot.y + plot.height - (int) Math.round(y.fraction(value) * plot.height);
    }
}
