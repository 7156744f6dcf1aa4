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
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import kafka.server.KafkaConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The repository's docker-compose.yml, checked without a Docker engine: by {@code docker compose config} (or v1's
 * {@code docker-compose config}) when either is installed, and always by reading it, so that its topic and replication
 * settings agree with the code that creates the topics and with the settings the application knows, and its security
 * (users, ACLs, listeners) with {@code budget-meter acls}. Its two scripts run for real here: the secrets step makes
 * every secret into a temporary directory, and a node's start script formats a log directory with Kafka's own
 * storage tool and writes a broker configuration that Kafka's own config class accepts.
 */
class ComposeFileTest {

    private static final Path COMPOSE_FILE = repositoryFile("docker-compose.yml");
    private static final List<String> BROKERS = List.of("kafka-1", "kafka-2", "kafka-3");
    private static final List<String> APPS = List.of("metering-1", "metering-2");
    private static final String KAFKA_NODE_SCRIPT = "deploy/kafka-node.sh";
    private static final String INIT_SECRETS_SCRIPT = "deploy/init-secrets.sh";
    private static final String PASSWORDS = "/secrets/admin/passwords";
    private static final String ADMIN_CONFIG = "/secrets/admin/admin.properties";

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

    @Test
    void every_broker_authenticates_with_scram_authorizes_with_acls_and_is_reached_over_sasl_ssl(
            @TempDir final Path dir) throws Exception {
        final Path secrets = makeSecrets(dir);
        for (final String broker : BROKERS) {
            final JsonNode service = services.path(broker);
            assertThat(service.path("entrypoint").toString()).contains("/opt/budget-meter/kafka-node.sh");
            assertThat(service.path("volumes").toString())
                    .contains("./" + KAFKA_NODE_SCRIPT + ":/opt/budget-meter/kafka-node.sh:ro");
            assertThat(service.path("depends_on").path("secrets").path("condition").asText())
                    .isEqualTo("service_completed_successfully");
            assertThat(mounts(broker)).containsExactlyInAnyOrder("secrets-admin", "secrets-broker");

            final Path work = Files.createDirectories(dir.resolve(broker));
            final Map<String, String> env = new TreeMap<>(environment(broker));
            env.put("SECRETS_DIR", secrets.toString());
            env.put("KAFKA_HOME", fakeKafkaHome(work).toString());
            env.put("WORK_DIR", work.toString());
            final Run node = Run.of(work, env, "bash", repositoryFile(KAFKA_NODE_SCRIPT).toString());
            assertThat(node.exitCode()).as(node.output()).isZero();

            assertThat(work.resolve("kraft-combined-logs").resolve("meta.properties"))
                    .as("the log directory formatted by Kafka's storage tool").exists();
            final Properties config = new Properties();
            try (Reader in = Files.newBufferedReader(work.resolve("budget-meter-node.properties"))) {
                config.load(in);
            }
            final KafkaConfig kafka = KafkaConfig.fromProps(config, false);
            assertThat(kafka.getString("authorizer.class.name"))
                    .isEqualTo("org.apache.kafka.metadata.authorizer.StandardAuthorizer");
            assertThat(config).containsEntry("allow.everyone.if.no.acl.found", "false")
                    .containsEntry("super.users", "User:admin;User:schema-registry")
                    .containsEntry("sasl.enabled.mechanisms", "SCRAM-SHA-512")
                    .containsEntry("listener.security.protocol.map",
                            "CLIENT:SASL_PLAINTEXT,TLS:SASL_SSL,EXTERNAL:SASL_SSL,CONTROLLER:SASL_PLAINTEXT");
            assertThat(config.getProperty("advertised.listeners")).contains("TLS://" + broker + ":9094");
            assertThat(Files.readString(work.resolve("kafka-server-start.sh.args")).strip())
                    .isEqualTo(work.resolve("budget-meter-node.properties").toString());
        }
        assertThat(Files.readString(COMPOSE_FILE)).as("no password in the compose file")
                .doesNotContain(Files.readString(secrets.resolve("admin/passwords/admin")));
    }

    @Test
    void the_acls_step_applies_every_roles_credentials_and_acls_before_the_apps_start() {
        final ParseResult acls = parse("acls").subcommand();

        assertThat(acls.commandSpec().name()).isEqualTo("acls");
        assertThat(acls.hasMatchedOption("--apply")).isTrue();
        assertThat(acls.matchedOptionValue("--scram-passwords", Path.of(""))).isEqualTo(Path.of(PASSWORDS));
        assertThat(acls.matchedOptionValue("--command-config", Path.of(""))).isEqualTo(Path.of(ADMIN_CONFIG));
        assertThat(acls.matchedOptionValue("--bootstrap-servers", "")).isEqualTo(allBrokers());
        assertThat(acls.matchedOptionValue("--application-id", "")).isEqualTo(
                environment(APPS.get(0)).get(RunSettings.envNameOf(MeteringConfig.APPLICATION_ID_CONFIG)));
        assertThat(mounts("acls")).containsExactly("secrets-admin");
        assertThat(parse("topics").subcommand().matchedOptionValue("--command-config", Path.of("")))
                .isEqualTo(Path.of(ADMIN_CONFIG));
        for (final String app : APPS) {
            assertThat(services.path(app).path("depends_on").path("acls").path("condition").asText())
                    .isEqualTo("service_completed_successfully");
        }
    }

    @Test
    void each_client_connects_as_its_roles_principal_with_only_its_roles_secrets(@TempDir final Path dir)
            throws Exception {
        final Path secrets = makeSecrets(dir);
        final Map<String, String> expected = Map.of("metering-1", "budget-meter-topology",
                "metering-2", "budget-meter-topology", "worker", "budget-meter-worker", "audit",
                "budget-meter-auditor");
        for (final Map.Entry<String, String> client : expected.entrySet()) {
            final String service = client.getKey();
            final List<String> command = new ArrayList<>();
            services.path(service).path("command").forEach(argument -> command.add(argument.asText()));
            final String file = command.get(command.indexOf(service.startsWith("metering") ? "--config"
                    : "--command-config") + 1);
            final List<String> secretVolumes = mounts(service).stream()
                    .filter(volume -> volume.startsWith("secrets-")).toList();
            assertThat(secretVolumes).as(service).hasSize(1);
            assertThat(file).startsWith("/secrets/" + secretVolumes.get(0).substring("secrets-".length()) + "/");
            final Map<String, String> settings = RunSettings.loadFile(secrets.resolve(file.substring(
                    "/secrets/".length())));
            assertThat(settings).as(service).containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
            assertThat(settings.get("sasl.jaas.config")).as(service)
                    .contains("username=\"" + client.getValue() + "\"");
            assertThat(settings.get("ssl.truststore.location")).startsWith(file.substring(0,
                    file.lastIndexOf('/') + 1));
            assertThat(environment(service)).containsEntry("KAFKA_BOOTSTRAP_SERVERS", allBrokers());
            // The principal the acls step gives this role by default.
            final String role = client.getValue().substring("budget-meter-".length());
            assertThat(parse("acls").subcommand().matchedOptionValue("--" + role + "-principal",
                    "User:" + client.getValue())).isEqualTo("User:" + client.getValue());
            assertThat(Files.exists(secrets.resolve("admin/passwords/" + client.getValue()))).isTrue();
        }
        assertThat(mounts("schema-registry")).containsExactly("secrets-registry");
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

    /** Runs the secrets step's script into {@code dir}, as the containers will see its files under /secrets. */
    private static Path makeSecrets(final Path dir) throws Exception {
        final Path secrets = dir.resolve("secrets");
        final Map<String, String> env = new TreeMap<>();
        env.put("SECRETS_DIR", secrets.toString());
        env.put("CLIENT_SECRETS_DIR", "/secrets");
        final Run run = Run.of(dir, env, "bash", repositoryFile(INIT_SECRETS_SCRIPT).toString());
        assertThat(run.exitCode()).as(run.output()).isZero();
        return secrets;
    }

    /**
     * A Kafka installation whose storage tool is Kafka's own (this JVM's classpath, which holds the broker) and whose
     * server start only records its argument, so the script runs to its end without starting a node.
     */
    private static Path fakeKafkaHome(final Path work) throws IOException {
        final Path bin = Files.createDirectories(work.resolve("kafka-home/bin"));
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(bin.resolve("kafka-storage.sh"), "#!/usr/bin/env bash\nexec '" + java + "' -cp '"
                + System.getProperty("java.class.path") + "' kafka.tools.StorageTool \"$@\"\n");
        Files.writeString(bin.resolve("kafka-server-start.sh"), "#!/usr/bin/env bash\necho \"$1\" > '"
                + work.resolve("kafka-server-start.sh.args") + "'\n");
        for (final String script : List.of("kafka-storage.sh", "kafka-server-start.sh")) {
            Files.setPosixFilePermissions(bin.resolve(script), PosixFilePermissions.fromString("rwx------"));
        }
        return bin.getParent();
    }

    /** The named volumes the service mounts. */
    private List<String> mounts(final String service) {
        final List<String> volumes = new ArrayList<>();
        for (final JsonNode mount : services.path(service).path("volumes")) {
            final String source = mount.isTextual() ? mount.asText().split(":")[0] : mount.path("source").asText();
            if (!source.startsWith("/") && !source.startsWith(".")) {
                volumes.add(source);
            }
        }
        return volumes;
    }

    /** A process run to its end (at most two minutes), with its exit code and output. */
    private record Run(int exitCode, String output) {

        static Run of(final Path dir, final Map<String, String> env, final String... command) throws Exception {
            final ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectErrorStream(true);
            builder.environment().clear();
            builder.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":"
                    + System.getenv("PATH"));
            builder.environment().putAll(env);
            final Process process = builder.start();
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish:\n" + output);
            }
            return new Run(process.exitValue(), output);
        }
    }

    private Map<String, String> environment(final String service) {
        final Map<String, String> env = new TreeMap<>();
        services.path(service).path("environment").properties()
                .forEach(entry -> env.put(entry.getKey(), entry.getValue().asText()));
        return env;
    }

    /** The brokers' SASL_SSL listeners, where every client of the file connects. */
    private static String allBrokers() {
        return String.join(",", BROKERS.stream().map(broker -> broker + ":9094").toList());
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
