package dev.budgetmeter.cli.run;

import dev.budgetmeter.topology.MeteringConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The settings of {@code budget-meter run}, resolved from four sources, each overriding the one before:
 * <ol>
 *   <li>the defaults of {@link MeteringConfig} (and Kafka Streams' own);</li>
 *   <li>a properties file ({@code --config});</li>
 *   <li>the environment: {@value #CONVENTIONAL_BOOTSTRAP_ENV} and {@value #CONVENTIONAL_REGISTRY_ENV}, then every
 *       {@value #ENV_PREFIX}{@code NAME} variable as the key {@code name} lower-cased with {@code _} read as
 *       {@code .} (so {@code BUDGET_METER_METERING_IDLE_TIMEOUT_MS} is {@code metering.idle.timeout.ms});</li>
 *   <li>command-line flags.</li>
 * </ol>
 * Immutable; {@link #resolve} is pure, so the precedence is testable without a process environment.
 */
public final class RunSettings {

    public static final String ENV_PREFIX = "BUDGET_METER_";
    public static final String CONVENTIONAL_BOOTSTRAP_ENV = "KAFKA_BOOTSTRAP_SERVERS";
    public static final String CONVENTIONAL_REGISTRY_ENV = "SCHEMA_REGISTRY_URL";

    /** Where a setting came from. */
    public enum Source { DEFAULT, FILE, ENVIRONMENT, FLAG }

    private static final Set<String> REQUIRED = Set.of(MeteringConfig.BOOTSTRAP_SERVERS_CONFIG,
            MeteringConfig.SCHEMA_REGISTRY_URL_CONFIG);
    private static final List<String> SECRET_MARKERS = List.of("password", "secret", "jaas.config", "user.info",
            "credentials");

    private final Map<String, String> values;
    private final Map<String, Source> sources;

    private RunSettings(final Map<String, String> values, final Map<String, Source> sources) {
        this.values = Map.copyOf(values);
        this.sources = Map.copyOf(sources);
    }

    /**
     * Resolves the settings; later sources win.
     *
     * @throws IllegalArgumentException when the bootstrap servers or the registry URL are given by no source
     */
    public static RunSettings resolve(final Map<String, String> file, final Map<String, String> environment,
                                      final Map<String, String> flags) {
        final Map<String, String> values = new TreeMap<>();
        final Map<String, Source> sources = new HashMap<>();
        put(values, sources, file, Source.FILE);
        put(values, sources, fromEnvironment(environment), Source.ENVIRONMENT);
        put(values, sources, flags, Source.FLAG);
        for (final String key : REQUIRED) {
            if (values.get(key) == null || values.get(key).isBlank()) {
                throw new IllegalArgumentException(key + " is not set: give " + flagOf(key) + ", or set $"
                        + conventionalEnvOf(key) + " or $" + envNameOf(key) + ", or put it in --config");
            }
        }
        return new RunSettings(values, sources);
    }

    /** The settings the environment gives: conventional names first, so that the prefixed ones win over them. */
    static Map<String, String> fromEnvironment(final Map<String, String> environment) {
        final Map<String, String> settings = new TreeMap<>();
        putIfPresent(settings, MeteringConfig.BOOTSTRAP_SERVERS_CONFIG, environment.get(CONVENTIONAL_BOOTSTRAP_ENV));
        putIfPresent(settings, MeteringConfig.SCHEMA_REGISTRY_URL_CONFIG, environment.get(CONVENTIONAL_REGISTRY_ENV));
        environment.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
                putIfPresent(settings, keyOf(name), value);
            }
        });
        return settings;
    }

    /** {@code BUDGET_METER_METERING_IDLE_TIMEOUT_MS} -> {@code metering.idle.timeout.ms}. */
    public static String keyOf(final String environmentName) {
        return environmentName.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
    }

    /** {@code metering.idle.timeout.ms} -> {@code BUDGET_METER_METERING_IDLE_TIMEOUT_MS}. */
    public static String envNameOf(final String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** Reads a properties file (ISO-8859-1 escapes as {@link Properties} reads them, UTF-8 text). */
    public static Map<String, String> loadFile(final Path file) throws IOException {
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        final Map<String, String> settings = new TreeMap<>();
        properties.stringPropertyNames().forEach(name -> settings.put(name, properties.getProperty(name).strip()));
        return settings;
    }

    /** The resolved value of a key, or null when only a default applies. */
    public String value(final String key) {
        return values.get(key);
    }

    /** Where the value of a key came from. */
    public Source sourceOf(final String key) {
        return sources.getOrDefault(key, Source.DEFAULT);
    }

    /** The application's configuration. */
    public MeteringConfig config() {
        return new MeteringConfig(values);
    }

    /**
     * The effective value and source of every metering setting and of every other key given, one per line, with
     * secrets masked: what {@code run} logs at start.
     */
    public List<String> describe() {
        final MeteringConfig config = config();
        final Map<String, String> lines = new TreeMap<>();
        MeteringConfig.configDef().names().forEach(key -> lines.put(key, String.valueOf(config.values().get(key))));
        lines.putAll(values);
        final List<String> described = new ArrayList<>();
        lines.forEach((key, value) -> described.add(key + " = " + (isSecret(key) ? "[hidden]" : value)
                + " (" + sourceOf(key).name().toLowerCase(Locale.ROOT) + ")"));
        return described;
    }

    private static boolean isSecret(final String key) {
        final String lower = key.toLowerCase(Locale.ROOT);
        return SECRET_MARKERS.stream().anyMatch(lower::contains);
    }

    private static void put(final Map<String, String> values, final Map<String, Source> sources,
                            final Map<String, String> settings, final Source source) {
        settings.forEach((key, value) -> {
            if (value != null) {
                values.put(key, value);
                sources.put(key, source);
            }
        });
    }

    private static void putIfPresent(final Map<String, String> settings, final String key, final String value) {
        if (value != null && !value.isBlank()) {
            settings.put(key, value.strip());
        }
    }

    private static String flagOf(final String key) {
        return MeteringConfig.BOOTSTRAP_SERVERS_CONFIG.equals(key) ? "--bootstrap-servers" : "--schema-registry-url";
    }

    private static String conventionalEnvOf(final String key) {
        return MeteringConfig.BOOTSTRAP_SERVERS_CONFIG.equals(key) ? CONVENTIONAL_BOOTSTRAP_ENV
                : CONVENTIONAL_REGISTRY_ENV;
    }
}
