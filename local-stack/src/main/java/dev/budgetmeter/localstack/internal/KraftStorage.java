package dev.budgetmeter.localstack.internal;

import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Formats a KRaft log directory for a new single-node cluster, as {@code kafka-storage.sh format --standalone} does.
 * A directory is formatted once: re-formatting it with a new cluster id fails, and a restart must keep its data.
 */
public final class KraftStorage {

    private KraftStorage() {
    }

    /** Whether {@code logDir} was already formatted (it holds {@code meta.properties}). */
    public static boolean isFormatted(final Path logDir) {
        return Files.isRegularFile(logDir.resolve("meta.properties"));
    }

    /**
     * Writes {@code config} to {@code configFile} and formats its log directory for a new cluster with a random id.
     * Calls {@link StorageTool#execute} rather than its {@code main}, which would exit the JVM.
     */
    public static void format(final Properties config, final Path configFile) {
        writeConfig(config, configFile);
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        final String[] command = {"format", "-t", Uuid.randomUuid().toString(), "-c", configFile.toString(),
            "--standalone"};
        final int exitCode;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exitCode = StorageTool.execute(command, out);
        } catch (final RuntimeException e) {
            throw new IllegalStateException("formatting the KRaft log dir failed: " + text(output), e);
        }
        if (exitCode != 0) {
            throw new IllegalStateException("formatting the KRaft log dir failed with exit code " + exitCode + ": "
                    + text(output));
        }
    }

    private static void writeConfig(final Properties config, final Path configFile) {
        try (OutputStream out = Files.newOutputStream(configFile)) {
            config.store(out, "single-node KRaft broker of the Budget Meter local stack");
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write " + configFile, e);
        }
    }

    private static String text(final ByteArrayOutputStream output) {
        return output.toString(StandardCharsets.UTF_8).strip();
    }
}
