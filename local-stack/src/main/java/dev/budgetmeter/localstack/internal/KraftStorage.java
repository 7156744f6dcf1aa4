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
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Formats a KRaft log directory, as {@code kafka-storage.sh format} does: for a new single-node cluster
 * ({@code --standalone}), or for one node of a cluster whose voters the configuration lists, all formatted with one
 * cluster id. A directory is formatted once: re-formatting it with a new cluster id fails, and a restart must keep
 * its data.
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
        format(config, configFile, Uuid.randomUuid().toString(), List.of("--standalone"));
    }

    /**
     * Writes {@code config} to {@code configFile} (readable by its owner only: it may hold passwords) and formats its
     * log directory for the cluster {@code clusterId}, with further {@code kafka-storage format} arguments such as
     * {@code --add-scram}. The arguments never appear in an error message, since they may carry a password.
     */
    public static void format(final Properties config, final Path configFile, final String clusterId,
            final List<String> arguments) {
        writeConfig(config, configFile);
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        final List<String> command = new ArrayList<>(List.of("format", "-t", clusterId, "-c", configFile.toString()));
        command.addAll(arguments);
        final int exitCode;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exitCode = StorageTool.execute(command.toArray(String[]::new), out);
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
            config.store(out, "KRaft node of the Budget Meter local stack");
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write " + configFile, e);
        }
        OwnerOnly.restrict(configFile);
    }

    private static String text(final ByteArrayOutputStream output) {
        return output.toString(StandardCharsets.UTF_8).strip();
    }
}
