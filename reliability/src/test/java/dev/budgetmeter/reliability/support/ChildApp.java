package dev.budgetmeter.reliability.support;

import static org.awaitility.Awaitility.await;

import dev.budgetmeter.localstack.internal.WatchdogAgentJar;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The metering application as its own process: {@code budget-meter run} (the cli's main class on this test's class
 * path) with the given settings in a properties file, {@code /ready} on a free loopback port, its output in a log
 * file. {@link #killHard()} is {@code kill -9}: no shutdown hook, no commit, no transaction abort. The child runs
 * with the local stack's parent-death watchdog, so it dies with this JVM however this JVM ends.
 */
public final class ChildApp implements AutoCloseable {

    /** The cli's entry point; the {@code run} subcommand starts the topology with health endpoints. */
    public static final String MAIN_CLASS = "dev.budgetmeter.cli.BudgetMeterCli";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /**
     * The Prometheus family of the topology's {@code active-reservations} gauge (group budget-meter-metrics), as
     * Micrometer's Kafka binder names it.
     */
    private static final String ACTIVE_RESERVATIONS = "kafka_budget_meter_active_reservations";

    private final String name;
    private final Process process;
    private final int httpPort;
    private final Path logFile;

    private ChildApp(final String name, final Process process, final int httpPort, final Path logFile) {
        this.name = name;
        this.process = process;
        this.httpPort = httpPort;
        this.logFile = logFile;
    }

    /**
     * Starts {@code budget-meter run} with {@code settings}; does not wait for readiness.
     *
     * @param name    unique within the test: names the config file and the log (written afresh)
     * @param workDir where the config file, the watchdog agent and the log go
     */
    public static ChildApp start(final String name, final Map<String, Object> settings, final Path workDir) {
        try {
            Files.createDirectories(workDir);
            final Path config = workDir.resolve(name + ".properties");
            writeProperties(settings, config);
            final Path logFile = workDir.resolve(name + ".log");
            final int port = freePort();
            final List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-XX:+UseSerialGC",
                    "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.budgetmeter",
                    // Each child its own copy: children started together must not read a jar another rewrites.
                    "-javaagent:" + WatchdogAgentJar.writeInto(Files.createDirectories(workDir.resolve(name
                            + "-agent"))),
                    "-cp", System.getProperty("java.class.path"),
                    MAIN_CLASS, "run", "--config", config.toString(),
                    "--http-host", "127.0.0.1", "--http-port", String.valueOf(port)));
            final Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()))
                    .start(); // stdin stays a pipe only this JVM holds: the watchdog's lifeline
            return new ChildApp(name, process, port, logFile);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot start the child app " + name, e);
        }
    }

    /** Waits until {@code /ready} answers 200, failing early (with the log's tail) if the process exits. */
    public ChildApp awaitReady(final Duration bound) {
        await(name + " ready").atMost(bound).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + logTail(40));
            }
            return isReady();
        });
        return this;
    }

    /** Whether {@code GET /ready} answers 200 now. */
    public boolean isReady() {
        return get("/ready").status() == 200;
    }

    /**
     * The reservations this instance holds open now: the sum of the topology's {@code active-reservations} gauge
     * over its active tasks, read from {@code GET /metrics}; 0 when it owns no task or cannot be reached.
     */
    public long activeReservations() {
        return get("/metrics").body().lines()
                .filter(line -> line.startsWith(ACTIVE_RESERVATIONS + "{"))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private Answer get(final String path) {
        try {
            final HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort + path)).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (final IOException e) {
            return Answer.UNREACHABLE;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.UNREACHABLE;
        }
    }

    /** An HTTP answer of the child; status 0 when it could not be reached. */
    private record Answer(int status, String body) {
        static final Answer UNREACHABLE = new Answer(0, "");
    }

    /**
     * The Kafka Streams client id of this instance, {@code <application id>-<process id>}, read from the thread names
     * in its log: the prefix of its transactional ids under exactly-once.
     */
    public String streamsClientId(final String applicationId) {
        final Pattern thread = Pattern.compile("\\[(" + Pattern.quote(applicationId)
                + "-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-StreamThread-\\d+]");
        try (Stream<String> lines = Files.lines(logFile, StandardCharsets.UTF_8)) {
            return lines.map(thread::matcher).filter(Matcher::find).map(matcher -> matcher.group(1)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no stream thread of " + name + " in " + logFile));
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL, as {@code kill -9}: the process gets no chance to close anything. Waits until it is gone. */
    public void killHard() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " survived SIGKILL for 30 s");
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing " + name, e);
        }
    }

    /**
     * SIGTERM, as an orchestrator stops an instance: {@code budget-meter run} closes the application (committing what
     * it processed) and exits. Waits until it is gone and returns its exit code.
     */
    public int stop(final Duration bound) {
        // Through the handle: Process.destroy() would also close the child's standard input, the watchdog's lifeline,
        // and the watchdog would halt the child at once with 143.
        process.toHandle().destroy();
        try {
            if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " did not stop within " + bound + " of SIGTERM:\n"
                        + logTail(40));
            }
            return process.exitValue();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping " + name, e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String name() {
        return name;
    }

    /** The last lines of the child's output, to explain a failure. */
    public String logTail(final int lines) {
        try {
            final List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (final IOException e) {
            return "(no log at " + logFile + ": " + e.getMessage() + ")";
        }
    }

    public Path logFile() {
        return logFile;
    }

    /** Kills the process if it still runs. */
    @Override
    public void close() {
        if (process.isAlive()) {
            killHard();
        }
    }

    private static void writeProperties(final Map<String, Object> settings, final Path file) throws IOException {
        final Properties properties = new Properties();
        settings.forEach((key, value) -> properties.setProperty(key, String.valueOf(value)));
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(out, "settings of a reliability scenario's child app");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
