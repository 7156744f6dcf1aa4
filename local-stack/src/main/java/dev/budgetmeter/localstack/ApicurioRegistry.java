package dev.budgetmeter.localstack;

import dev.budgetmeter.localstack.internal.ApicurioHome;
import dev.budgetmeter.localstack.internal.ChildJvm;
import dev.budgetmeter.localstack.internal.ConfluentRegistryHttp;
import dev.budgetmeter.localstack.internal.Deadline;
import dev.budgetmeter.localstack.internal.Directories;
import dev.budgetmeter.localstack.internal.LogTail;
import dev.budgetmeter.localstack.internal.Loopback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Apicurio Registry 2.6 in a child JVM, serving the Confluent schema registry API at {@code /apis/ccompat/v7}.
 *
 * <p>Guarantees: listens on {@code 127.0.0.1} only; after {@link #start()} the global compatibility is BACKWARD
 * (Confluent's default; Apicurio's own default is NONE); the child JVM dies with this JVM, even on {@code kill -9}
 * (see {@link ChildJvm}); its output goes to {@link #logFile()}, which failure messages name and quote.
 *
 * <p>Storage is in memory: a {@link #stop()} and {@link #start()} brings the registry back on the same port, but
 * <strong>every schema registered before is lost</strong> and ids start again from 1. Clients that cache ids across a
 * restart see ids the registry no longer knows.
 */
public final class ApicurioRegistry implements StackComponent {

    /** The component name used in logs and failure messages. */
    public static final String COMPONENT = "Apicurio schema registry";
    /** The path of the Confluent API under the registry's root URL. */
    public static final String CONFLUENT_API_PATH = "/apis/ccompat/v7";
    /** The global compatibility level set at every start. */
    public static final String GLOBAL_COMPATIBILITY = "BACKWARD";

    private static final Logger LOG = LoggerFactory.getLogger(ApicurioRegistry.class);
    // 256 MiB heap is enough for tests and the demo. Serial GC and the C1 compiler only keep a small child small and
    // quick to start on 2 cores (measured: about 30 MB less RSS and 0.5-2 s faster); its load is a few requests.
    private static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(200);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    private static final int LOG_LINES_IN_ERRORS = 30;

    private final Supplier<ApicurioHome> home;
    private final Path workDir;
    private final Path logFile;
    private final int port;
    private final Duration startTimeout;
    private final ConfluentRegistryHttp http;
    private Process process;

    ApicurioRegistry(final Supplier<ApicurioHome> home, final Path workDir, final int port,
            final Duration startTimeout) {
        this.home = home;
        this.workDir = workDir;
        this.logFile = workDir.resolve("registry.log");
        this.port = port;
        this.startTimeout = startTimeout;
        this.http = new ConfluentRegistryHttp(url());
    }

    /** The Confluent API base URL, e.g. {@code http://127.0.0.1:40124/apis/ccompat/v7}; the same across restarts. */
    public String url() {
        return "http://" + Loopback.address(port) + CONFLUENT_API_PATH;
    }

    /** The registry's log (standard output and error of every start, appended). */
    public Path logFile() {
        return logFile;
    }

    /** The process id of the registry JVM while it runs. */
    public synchronized OptionalLong pid() {
        return process == null ? OptionalLong.empty() : OptionalLong.of(process.pid());
    }

    /**
     * Launches the registry, waits until {@code GET /subjects} answers 200, then sets and verifies global
     * compatibility BACKWARD. The first start on a machine may extract the distribution first (a few seconds, once).
     *
     * @throws PortInUseException      if the port is taken
     * @throws ComponentStartException if it does not come up within the start timeout, or exits early
     */
    @Override
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        process = null; // a registry that died on its own is simply started afresh
        final Deadline deadline = Deadline.in(startTimeout);
        LoopbackPorts.requireFree(port, COMPONENT);
        final ApicurioHome distribution = distribution();
        Directories.create(workDir);
        markStartInLog();
        final Process launched = ChildJvm.launch(jvmOptions(), distribution.runnerJar(), workDir, logFile);
        try {
            awaitAnswer(launched, deadline);
            setGlobalCompatibility();
        } catch (final RuntimeException e) {
            kill(launched);
            throw e;
        }
        process = launched;
        LOG.info("{} up at {} in {} (pid {}, log {})", COMPONENT, url(), Deadline.seconds(deadline.elapsed()),
                launched.pid(), logFile);
    }

    /** Stops the registry JVM (SIGTERM, then SIGKILL after 15 s) and waits until it is gone. */
    @Override
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        kill(process);
        process = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    @Override
    public String toString() {
        return COMPONENT + " at " + url() + " (log " + logFile + ")";
    }

    private ApicurioHome distribution() {
        try {
            return home.get();
        } catch (final RuntimeException e) {
            throw new ComponentStartException(COMPONENT, "its distribution is not available: " + e.getMessage(), e);
        }
    }

    private void markStartInLog() {
        // The log is appended to across restarts; a marker shows where the run a failure message quotes began.
        try {
            Files.writeString(logFile, "=== budget-meter: starting " + COMPONENT + " on port " + port + " ==="
                    + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write " + logFile, e);
        }
    }

    private List<String> jvmOptions() {
        final List<String> options = new ArrayList<>(JVM_OPTIONS);
        options.add("-Dquarkus.http.host=" + Loopback.HOST);
        options.add("-Dquarkus.http.port=" + port);
        return options;
    }

    private void awaitAnswer(final Process launched, final Deadline deadline) {
        while (!http.answers()) {
            if (!launched.isAlive()) {
                throw exitedEarly(launched.exitValue());
            }
            if (deadline.hasExpired()) {
                throw notReady("GET " + url() + "/subjects did not answer 200 within "
                        + Deadline.seconds(deadline.budget()), null);
            }
            deadline.pause(PROBE_INTERVAL);
        }
    }

    private ComponentStartException exitedEarly(final int exitCode) {
        // Quarkus says so in its log when the port was taken between our check and its bind.
        if (LogTail.contains(logFile, "Port " + port + " seems to be in use")) {
            return new PortInUseException(COMPONENT, port, null);
        }
        return notReady("the registry JVM exited with code " + exitCode + " before answering at " + url(), null);
    }

    private void setGlobalCompatibility() {
        try {
            http.putGlobalCompatibility(GLOBAL_COMPATIBILITY);
            final String level = http.globalCompatibility();
            if (!GLOBAL_COMPATIBILITY.equals(level)) {
                throw notReady("global compatibility is " + level + " after setting " + GLOBAL_COMPATIBILITY, null);
            }
        } catch (final IOException e) {
            throw notReady("setting global compatibility " + GLOBAL_COMPATIBILITY + " failed", e);
        }
    }

    private ComponentStartException notReady(final String what, final Throwable cause) {
        return new ComponentStartException(COMPONENT, what + " (log " + logFile + ", last lines:"
                + System.lineSeparator() + LogTail.of(logFile, LOG_LINES_IN_ERRORS) + ")", cause);
    }

    private static void kill(final Process target) {
        target.destroy();
        try {
            if (!target.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                target.destroyForcibly().waitFor();
            }
        } catch (final InterruptedException e) {
            target.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(target);
        }
    }

    private static void closeQuietly(final Process target) {
        try {
            target.getOutputStream().close();
        } catch (final IOException ignored) {
            // The pipe only signals life to the child's watchdog; the child is gone already.
        }
    }
}
