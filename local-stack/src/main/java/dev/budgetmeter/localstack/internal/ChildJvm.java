package dev.budgetmeter.localstack.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Launches a Java program in a child process that dies with this JVM: a jar ({@link #launch}) or a main class of this
 * JVM's own class path ({@link #launchMain}, how a test runs one of the project's executables as its own process).
 *
 * <p>The child runs on the same {@code java} as this JVM ({@code java.home}), with the {@link ParentDeathWatchdog}
 * agent attached and its standard input a pipe that this JVM holds open and never writes: when this JVM ends, even by
 * {@code kill -9}, the pipe closes and the child halts. The caller must therefore keep the returned {@link Process}
 * reachable for the child's whole life (a collected {@code Process} would close the pipe and end the child early).
 * Standard output and error are appended to a log file, so a failure can point at it.
 */
public final class ChildJvm {

    private ChildJvm() {
    }

    /**
     * Starts {@code java <jvmOptions> -javaagent:<watchdog> -jar <jar>} in {@code workDir}, logging to {@code logFile}.
     */
    public static Process launch(final List<String> jvmOptions, final Path jar, final Path workDir,
            final Path logFile) {
        return start(jvmOptions, List.of("-jar", jar.toString()), workDir, logFile);
    }

    /**
     * Starts {@code java <jvmOptions> -javaagent:<watchdog> -cp <this JVM's class path> <mainClass> <arguments>} in
     * {@code workDir}, logging to {@code logFile}.
     */
    public static Process launchMain(final List<String> jvmOptions, final String mainClass,
            final List<String> arguments, final Path workDir, final Path logFile) {
        final List<String> program = new ArrayList<>(List.of("-cp", System.getProperty("java.class.path"),
                mainClass));
        program.addAll(arguments);
        return start(jvmOptions, program, workDir, logFile);
    }

    /** The {@code java} launcher of the running JVM. */
    public static Path javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    private static Process start(final List<String> jvmOptions, final List<String> program, final Path workDir,
            final Path logFile) {
        final List<String> command = new ArrayList<>();
        command.add(javaExecutable().toString());
        command.addAll(jvmOptions);
        command.add("-javaagent:" + WatchdogAgentJar.writeInto(workDir));
        command.addAll(program);
        try {
            return new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot launch " + String.join(" ", command), e);
        }
    }
}
