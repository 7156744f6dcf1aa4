package dev.budgetmeter.localstack.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** The last lines of a log file, for failure messages that explain themselves. */
public final class LogTail {

    private static final int MAX_BYTES = 16 * 1024;

    private LogTail() {
    }

    /**
     * The last {@code lines} lines of {@code file}, each indented, or a note saying why there are none. Reads at most
     * the last 16 KiB, so a huge log does not blow up an exception message.
     */
    public static String of(final Path file, final int lines) {
        if (!Files.isRegularFile(file)) {
            return "    (no log file at " + file + ")";
        }
        try {
            final List<String> all = Arrays.asList(readEnd(file).split("\\R"));
            final String tail = all.subList(Math.max(0, all.size() - lines), all.size()).stream()
                    .map(line -> "    " + line)
                    .collect(Collectors.joining(System.lineSeparator()));
            return tail.isBlank() ? "    (log is empty)" : tail;
        } catch (final IOException e) {
            return "    (cannot read " + file + ": " + e + ")";
        }
    }

    /** Whether {@code text} occurs in the last 16 KiB of {@code file}; false if the file cannot be read. */
    public static boolean contains(final Path file, final String text) {
        try {
            return Files.isRegularFile(file) && readEnd(file).contains(text);
        } catch (final IOException e) {
            return false;
        }
    }

    private static String readEnd(final Path file) throws IOException {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            final long length = in.length();
            final int size = (int) Math.min(length, MAX_BYTES);
            final byte[] bytes = new byte[size];
            in.seek(length - size);
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
