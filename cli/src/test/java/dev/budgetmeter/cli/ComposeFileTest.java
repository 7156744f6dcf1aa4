package dev.budgetmeter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.budgetmeter.cli.run.RunSettings;
import dev.budgetmeter.cli.topics.TopicPlan;
import dev.budgetmeter.cli.topics.TopicSpec;
import dev.budgetmeter.topics.TopicDefinition;
import dev.budgetmeter.topics.Topics;
import dev.budgetmeter.topology.MeteringConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The repository's docker-compose.yml, checked without a Docker engine: by {@code docker compose config} (or v1's
 * {@code docker-compose config}) when either is installed, and always by reading it, so that its topic and replication
 * settings agree with the code that creates the topics and with the settings the application knows.
 */
class ComposeFileTest {

    private static final Path COMPOSE_FILE = repositoryFile("docker-compose.yml");
    private static final List<String> BROKERS = List.of("kafka-1", "kafka-2", "kafka-3");
    private static final List<String> APPS = List.of("metering-1", "metering-2");

    private final JsonNode compose = read();
    private final JsonNode services = compose.path("services");

    @Test
    void docker_compose_accepts_the_file() throws Exception {
        final Optional<List<String>> compose = composeTool();
        assumeTrue(compose.isPresent(), "neither `docker compose` (the v2 plugin) nor docker-compose (v1) is installed"
                + " (Debian: apt-get install docker-compose)");
        final List<String> command = new ArrayList<>(compose.get());
        command.addAll(List.of("-f", COMPOSE_FILE.toString(), "config", "-q"));

        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final boolean finished = process.waitFor(60, TimeUnit.SECONDS);
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(finished).as(String.join(" ", command) + " finished").isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
    }

    @Test
    void three_kraft_brokers_replicate_three_times_with_two_in_sync() {
        for (final String broker : BROKERS) {
            final Map<String, String> env = environment(broker);
            assertThat(services.path(broker).path("image").asText()).startsWith("apache/kafka:");
            assertThat(env).containsEntry("KAFKA_PROCESS_ROLES", "broker,controller")
                    .containsEntry("KAFKA_DEFAULT_REPLICATION_FACTOR", "3")
                    .containsEntry("KAFKA_MIN_INSYNC_REPLICAS", "2")
                    .containsEntry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "3")
                    .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "2")
                    .containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
            assertThat(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS").split(",")).hasSize(BROKERS.size());
            assertThat(services.path(broker).has("healthcheck")).isTrue();
        }
    }

    @Test
    void the_topics_service_runs_the_topics_command_which_creates_every_registered_topic_as_the_brokers_replicate() {
        final ParseResult parsed = parse("topics");
        final ParseResult topics = parsed.subcommand();
        final short replication = topics.matchedOptionValue("--replication-factor", TopicPlan.DEFAULT_REPLICATION_FACTOR);
        final int minInsync = topics.matchedOptionValue("--min-insync-replicas", 1);

        final List<TopicSpec> plan = TopicPlan.of(Topics.DEFAULT_PREFIX, OptionalInt.empty(), replication,
                OptionalInt.of(minInsync));

        assertThat(topics.commandSpec().name()).isEqualTo("topics");
        assertThat(plan).extracting(TopicSpec::name).containsExactlyElementsOf(
                Topics.ALL.stream().map(definition -> definition.name(Topics.DEFAULT_PREFIX)).toList());
        for (final String broker : BROKERS) {
            assertThat(environment(broker)).containsEntry("KAFKA_DEFAULT_REPLICATION_FACTOR", String.valueOf(replication))
                    .containsEntry("KAFKA_MIN_INSYNC_REPLICAS", String.valueOf(minInsync));
        }
        assertThat(BROKERS.size()).isGreaterThanOrEqualTo(replication);
        assertThat(topics.matchedOptionValue("--bootstrap-servers", "")).isEqualTo(allBrokers());
        for (final TopicDefinition<String, ?> definition : Topics.ALL) {
            assertThat(plan).anySatisfy(spec -> assertThat(spec.configs()).containsAllEntriesOf(definition.configs()));
        }
    }

    @Test
    void two_app_instances_run_the_same_image_after_the_topics_with_replicated_internal_topics_and_a_standby() {
        final String image = services.path("topics").path("image").asText();
        for (final String app : APPS) {
            final JsonNode service = services.path(app);
            final Map<String, String> env = environment(app);
            assertThat(service.path("image").asText()).isEqualTo(image);
            assertThat(parse(app).subcommand().commandSpec().name()).isEqualTo("run");
            assertThat(env).containsEntry("KAFKA_BOOTSTRAP_SERVERS", allBrokers())
                    .containsEntry("SCHEMA_REGISTRY_URL", "http://schema-registry:8081")
                    .containsEntry(RunSettings.envNameOf(StreamsConfig.REPLICATION_FACTOR_CONFIG), "3")
                    .containsEntry(RunSettings.envNameOf(MeteringConfig.NUM_STANDBY_REPLICAS_CONFIG), "1");
            assertThat(service.path("depends_on").path("topics").path("condition").asText())
                    .isEqualTo("service_completed_successfully");
            assertThat(service.path("depends_on").path("schema-registry").path("condition").asText())
                    .isEqualTo("service_healthy");
            assertThat(service.path("healthcheck").path("test").toString()).contains("/health");
        }
        assertThat(environment(APPS.get(0)).get(RunSettings.envNameOf(MeteringConfig.APPLICATION_ID_CONFIG)))
                .isEqualTo(environment(APPS.get(1)).get(RunSettings.envNameOf(MeteringConfig.APPLICATION_ID_CONFIG)));
        assertThat(services.path(APPS.get(0)).path("ports").get(0).asText())
                .isNotEqualTo(services.path(APPS.get(1)).path("ports").get(0).asText());
    }

    @Test
    void each_app_instance_is_a_static_member_of_its_own_with_its_state_on_a_named_volume_of_its_own()
            throws IOException {
        final String dockerfile = Files.readString(repositoryFile("Dockerfile"));
        final Set<String> instanceIds = new HashSet<>();
        final Set<String> stateVolumes = new HashSet<>();
        for (final String app : APPS) {
            final Map<String, String> env = environment(app);
            final String instanceId = env.get(RunSettings.envNameOf(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG));
            final String stateDir = env.get(RunSettings.envNameOf(StreamsConfig.STATE_DIR_CONFIG));
            assertThat(instanceId).as("%s: group.instance.id", app).isNotBlank();
            assertThat(stateDir).as("%s: state.dir", app).isNotBlank();
            final String volume = namedVolumeHolding(app, Path.of(stateDir));
            assertThat(compose.path("volumes").has(volume)).as("%s: volume %s is declared", app, volume).isTrue();
            // A fresh named volume takes the owner of the image's directory: the app's user must have made it.
            assertThat(dockerfile).containsPattern("USER budget\\n(#.*\\n)*RUN mkdir -p " + Pattern.quote(stateDir));
            instanceIds.add(instanceId);
            stateVolumes.add(volume);
        }
        assertThat(instanceIds).as("distinct group.instance.id").hasSameSizeAs(APPS);
        assertThat(stateVolumes).as("distinct state volumes").hasSameSizeAs(APPS);
    }

    @Test
    void every_setting_the_apps_get_from_the_environment_is_one_the_application_knows() {
        final Set<String> known = new HashSet<>(MeteringConfig.configDef().names());
        known.addAll(StreamsConfig.configDef().names());
        // Kafka Streams hands unprefixed consumer settings (group.instance.id) to its consumers.
        known.addAll(ConsumerConfig.configNames());
        final List<String> unknown = new ArrayList<>();
        for (final String app : APPS) {
            environment(app).keySet().stream().filter(name -> name.startsWith(RunSettings.ENV_PREFIX))
                    .filter(name -> !known.contains(RunSettings.keyOf(name))).forEach(unknown::add);
        }
        assertThat(unknown).as("BUDGET_METER_* variables that name no setting").isEmpty();
    }

    @Test
    void the_demo_worker_simulates_a_fleet_once_both_apps_are_healthy() {
        final JsonNode worker = services.path("worker");

        assertThat(parse("worker").subcommand().commandSpec().name()).isEqualTo("simulate");
        for (final String app : APPS) {
            assertThat(worker.path("depends_on").path(app).path("condition").asText()).isEqualTo("service_healthy");
        }
        assertThat(environment("worker")).containsEntry("KAFKA_BOOTSTRAP_SERVERS", allBrokers());
    }

    @Test
    void the_image_is_built_from_the_repository_dockerfile_running_the_shaded_jar() throws IOException {
        final String dockerfile = Files.readString(repositoryFile("Dockerfile"));

        assertThat(services.path("topics").path("build").asText()).isEqualTo(".");
        assertThat(dockerfile).contains("FROM maven:3.9-eclipse-temurin-17 AS build", "FROM eclipse-temurin:17-jre",
                "cli/target/budget-meter.jar", "HEALTHCHECK", "/health", "CMD [\"run\"]");
    }

    /** The service's command parsed by the executable's own parser: an unknown option fails here. */
    private ParseResult parse(final String service) {
        final List<String> command = new ArrayList<>();
        services.path(service).path("command").forEach(argument -> command.add(argument.asText()));
        final CommandLine commandLine = BudgetMeterCli.commandLine();
        return commandLine.parseArgs(command.toArray(String[]::new));
    }

    /**
     * The named volume the service mounts on {@code dir} or on a directory above it, in the short ({@code name:/path})
     * or the long syntax; fails when there is none, or when it is a bind mount.
     */
    private String namedVolumeHolding(final String service, final Path dir) {
        for (final JsonNode mount : services.path(service).path("volumes")) {
            final String source = mount.isTextual() ? mount.asText().split(":")[0] : mount.path("source").asText();
            final String target = mount.isTextual() ? mount.asText().split(":")[1] : mount.path("target").asText();
            final boolean named = mount.isTextual() ? !source.startsWith("/") && !source.startsWith(".")
                    : "volume".equals(mount.path("type").asText());
            if (named && dir.startsWith(Path.of(target))) {
                return source;
            }
        }
        throw new AssertionError(service + " mounts no named volume on " + dir);
    }

    private Map<String, String> environment(final String service) {
        final Map<String, String> env = new TreeMap<>();
        services.path(service).path("environment").properties()
                .forEach(entry -> env.put(entry.getKey(), entry.getValue().asText()));
        return env;
    }

    private static String allBrokers() {
        return String.join(",", BROKERS.stream().map(broker -> broker + ":9092").toList());
    }

    private static JsonNode read() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(COMPOSE_FILE.toFile());
        } catch (final IOException e) {
            throw new AssertionError("cannot read " + COMPOSE_FILE, e);
        }
    }

    private static Path repositoryFile(final String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(name)) && Files.exists(dir.resolve("pom.xml"))) {
                return dir.resolve(name);
            }
        }
        throw new AssertionError(name + " not found above " + Path.of("").toAbsolutePath());
    }

    /**
     * The compose command to run: {@code docker compose} (v2) when the plugin answers, else {@code docker-compose} (v1).
     * Neither needs a Docker engine for {@code version} or {@code config}, so a client alone is enough.
     */
    private static Optional<List<String>> composeTool() throws InterruptedException {
        for (final List<String> tool : List.of(List.of("docker", "compose"), List.of("docker-compose"))) {
            final List<String> version = new ArrayList<>(tool);
            version.add("version");
            if (succeeds(version)) {
                return Optional.of(tool);
            }
        }
        return Optional.empty();
    }

    private static boolean succeeds(final List<String> command) throws InterruptedException {
        final Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (final IOException notInstalled) {
            return false;
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return false;
        }
        return process.exitValue() == 0;
    }
}
