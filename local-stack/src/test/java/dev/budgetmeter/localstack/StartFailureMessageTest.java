package dev.budgetmeter.localstack;

import dev.budgetmeter.localstack.internal.Directories;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class StartFailureMessageTest {

    private static final Pattern LOG_PATH = Pattern.compile("\\(log (\\S+registry\\.log)");

    @Test
    void registry_that_does_not_answer_in_time_is_killed_and_the_error_names_its_url_and_log() {
        // Given a registry that cannot possibly answer within its start timeout
        final int registryPort;
        try (LoopbackPorts ports = new LoopbackPorts()) {
            registryPort = ports.reserve(0, "test");
        }
        final LocalStackOptions impatient = LocalStackOptions.defaults()
                .withRegistryPort(registryPort)
                .withRegistryStartTimeout(Duration.ofMillis(1));

        // When the stack starts
        final ComponentStartException failure =
                catchThrowableOfType(ComponentStartException.class, () -> LocalKafkaStack.start(impatient));

        // Then the error says what did not come up, where, and where its log is; and the registry JVM is gone
        final Optional<Path> workDirectory = keptWorkDirectory(failure.getMessage());
        try {
            assertThat(failure.component()).isEqualTo(ApicurioRegistry.COMPONENT);
            assertThat(failure).hasMessageStartingWith("Apicurio schema registry did not come up: GET http://127.0.0.1:"
                    + registryPort + "/apis/ccompat/v7/subjects did not answer 200 within 0.0 s");
            assertThat(workDirectory).isPresent();
            assertThat(workDirectory.get().resolve("registry").resolve("registry.log")).isRegularFile();
            assertThat(registryProcessesOnPort(registryPort)).isZero();
        } finally {
            workDirectory.ifPresent(Directories::deleteRecursively);
        }
    }

    private static Optional<Path> keptWorkDirectory(final String message) {
        final Matcher log = LOG_PATH.matcher(message);
        return log.find() ? Optional.of(Path.of(log.group(1)).getParent().getParent()) : Optional.empty();
    }

    private static long registryProcessesOnPort(final int port) {
        return ProcessHandle.current().descendants()
                .filter(ProcessHandle::isAlive)
                .filter(child -> child.info().commandLine().orElse("").contains("-Dquarkus.http.port=" + port))
                .count();
    }
}
