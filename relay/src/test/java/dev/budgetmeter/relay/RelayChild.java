package dev.budgetmeter.relay;

import dev.budgetmeter.localstack.internal.WatchdogAgentJar;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * {@code budget-meter relay} as a process of its own (the {@link RelayCommand} on this test's class path), so that a
 * test can {@code kill -9} it. It runs with the local stack's parent-death watchdog, so it dies with the test JVM.
 */
final class RelayChild implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private RelayChild(final Process process, final int port, final Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** The child's entry point: the relay subcommand alone. */
    public static void main(final String[] args) {
        System.exit(new CommandLine(new RelayCommand()).execute(args));
    }

    /** Starts {@code budget-meter relay} with {@code args} and the API key in the environment. */
    static RelayChild start(final String name, final List<String> args, final String apiKey) {
        try {
            final Path dir = Files.createDirectories(Path.of(System.getProperty("relay.child.log.dir",
                    "target/child-logs")));
            final Path log = dir.resolve(name + ".log");
            final int port = freePort();
            final List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                    "-XX:+UseSerialGC", "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.budgetmeter",
                    "-javaagent:" + WatchdogAgentJar.writeInto(Files.createDirectories(dir.resolve(name + "-agent"))),
                    "-cp", System.getProperty("java.class.path"), RelayChild.class.getName(),
                    "--http-host", "127.0.0.1", "--http-port", String.valueOf(port)));
            command.addAll(args);
            final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
            builder.environment().putAll(Map.of("CYCLES_API_KEY", apiKey));
            return new RelayChild(builder.start(), port, log);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot start the relay child " + name, e);
        }
    }

    /** Whether {@code /ready} answers 200; false while it starts, or once it died. */
    boolean ready() {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/ready")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode() == 200;
        } catch (final IOException e) {
            return false;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL: no close, no commit of the offsets in flight. Waits until the process is gone. */
    void killHard() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the relay survived SIGKILL for 30 s");
        }
    }

    String logTail() {
        try {
            final List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (final IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
