package dev.budgetmeter.localstack;

import dev.budgetmeter.localstack.internal.ChildJvm;
import dev.budgetmeter.localstack.internal.Directories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Proves that the registry JVM does not outlive its parent even when the parent gets no chance to run any code:
 * a separate JVM starts a registry, the test kills that JVM with SIGKILL, and the registry must be gone soon after.
 */
class RegistryDiesWithParentTest {

    private static final Duration PARENT_START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration ORPHAN_LIFETIME_BOUND = Duration.ofSeconds(10);

    private final Path workDirectory = Directories.createTemp("budget-meter-orphan-test-");
    private Process parent;
    private long registryPid;

    @Test
    void registry_dies_within_seconds_after_its_parent_jvm_is_killed_with_sigkill() throws Exception {
        // Given a parent JVM running a registry
        parent = new ProcessBuilder(parentCommand())
                .redirectError(workDirectory.resolve("parent-stderr.log").toFile())
                .start();
        registryPid = awaitRegistryPid(parent);
        assertThat(ProcessHandle.of(registryPid).map(ProcessHandle::isAlive)).contains(true);

        // When the parent is killed with SIGKILL (no shutdown hook, no finally block runs in it)
        parent.destroyForcibly();
        assertThat(parent.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(parent.exitValue()).isEqualTo(128 + 9);

        // Then the orphaned registry JVM ends on its own, promptly
        await("registry pid " + registryPid + " to end").atMost(ORPHAN_LIFETIME_BOUND)
                .until(() -> ProcessHandle.of(registryPid).map(ProcessHandle::isAlive).orElse(false).equals(false));
    }

    @AfterEach
    void killLeftovers() {
        if (parent != null) {
            parent.destroyForcibly();
        }
        if (registryPid != 0) {
            ProcessHandle.of(registryPid).ifPresent(ProcessHandle::destroyForcibly);
        }
        Directories.deleteRecursively(workDirectory);
    }

    private List<String> parentCommand() {
        final List<String> command = new ArrayList<>();
        command.add(ChildJvm.javaExecutable().toString());
        command.add("-Xmx128m");
        forwardSystemProperty("maven.repo.local", command);
        forwardSystemProperty("budgetmeter.apicurio.home", command);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(RegistryChildMain.class.getName());
        command.add(workDirectory.toString());
        return command;
    }

    private static void forwardSystemProperty(final String name, final List<String> command) {
        Optional.ofNullable(System.getProperty(name)).ifPresent(value -> command.add("-D" + name + "=" + value));
    }

    private static long awaitRegistryPid(final Process parent) throws Exception {
        return CompletableFuture.supplyAsync(() -> readPid(parent))
                .get(PARENT_START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    private static long readPid(final Process parent) {
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith(RegistryChildMain.PID_PREFIX)) {
                    return Long.parseLong(line.substring(RegistryChildMain.PID_PREFIX.length()).strip());
                }
            }
            throw new IllegalStateException("the parent JVM ended without printing the registry pid");
        } catch (final IOException e) {
            throw new IllegalStateException("cannot read the parent JVM's output", e);
        }
    }
}
