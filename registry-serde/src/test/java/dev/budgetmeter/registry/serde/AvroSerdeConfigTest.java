package dev.budgetmeter.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.budgetmeter.registry.internal.RegistryConnectionSettings;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AvroSerdeConfigTest {

    @Test
    void defaults_are_confluents() {
        final AvroSerdeConfig config = config(Map.of("schema.registry.url", "http://registry:8081"));

        assertThat(config.autoRegisterSchemas()).isTrue();
        assertThat(config.useLatestVersion()).isFalse();
        assertThat(config.specificAvroReader()).isFalse();
        assertThat(config.specificReaderType(false)).isEmpty();
        assertThat(config.subjectNameStrategy(false)).isInstanceOf(TopicNameStrategy.class);
        assertThat(config.subjectNameStrategy(true)).isInstanceOf(TopicNameStrategy.class);
        assertThat(config.getString(AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG)).isEqualTo("URL");
        assertThat(config.connectionSettings()).isEqualTo(RegistryConnectionSettings.of("http://registry:8081"));
    }

    @Test
    void the_registry_url_is_required() {
        assertThatThrownBy(() -> config(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url");
    }

    @Test
    void a_url_list_parses_in_failover_order() {
        final AvroSerdeConfig config =
                config(Map.of("schema.registry.url", "http://a:8081, http://b:8081/apis/ccompat/v7"));

        assertThat(config.connectionSettings().urls())
                .containsExactly(URI.create("http://a:8081"), URI.create("http://b:8081/apis/ccompat/v7"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "RecordNameStrategy",
        "io.confluent.kafka.serializers.subject.RecordNameStrategy",
        "dev.budgetmeter.registry.serde.RecordNameStrategy"
    })
    void strategies_accept_simple_confluent_and_our_names(final String name) {
        final AvroSerdeConfig config = config(Map.of(
                "schema.registry.url", "mock://x", "value.subject.name.strategy", name));

        assertThat(config.subjectNameStrategy(false)).isInstanceOf(RecordNameStrategy.class);
        assertThat(config.subjectNameStrategy(true)).isInstanceOf(TopicNameStrategy.class);
    }

    @Test
    void a_custom_strategy_class_is_instantiated() {
        final AvroSerdeConfig config = config(Map.of(
                "schema.registry.url", "mock://x", "key.subject.name.strategy", FixedSubject.class.getName()));

        assertThat(config.subjectNameStrategy(true).subjectName("t", true, null)).isEqualTo("fixed");
    }

    @Test
    void an_unknown_strategy_fails_at_parse_time() {
        assertThatThrownBy(() -> config(Map.of(
                "schema.registry.url", "mock://x", "value.subject.name.strategy", "TopicNameStrategee")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("value.subject.name.strategy")
                .hasMessageContaining("TopicNameStrategee");
    }

    @Test
    void credentials_embedded_in_the_url_become_basic_auth_and_leave_the_url() {
        final RegistryConnectionSettings settings = config(Map.of(
                "schema.registry.url", "http://alice:s3cret@registry:8081/apis/ccompat/v7")).connectionSettings();

        assertThat(settings.urls()).containsExactly(URI.create("http://registry:8081/apis/ccompat/v7"));
        assertThat(settings.basicAuthUserInfo()).contains("alice:s3cret");
        assertThat(settings.toString()).contains("alice:***").doesNotContain("s3cret");
    }

    @Test
    void user_info_source_takes_the_configured_credentials() {
        final RegistryConnectionSettings settings = config(Map.of(
                "schema.registry.url", "http://registry:8081",
                "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", "bob:pw")).connectionSettings();

        assertThat(settings.basicAuthUserInfo()).contains("bob:pw");
    }

    @Test
    void user_info_source_without_credentials_is_refused() {
        assertThatThrownBy(() -> config(Map.of(
                "schema.registry.url", "http://registry:8081", "basic.auth.credentials.source", "USER_INFO")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("basic.auth.user.info");
    }

    @Test
    void an_unknown_credentials_source_is_refused() {
        assertThatThrownBy(() -> config(Map.of(
                "schema.registry.url", "http://registry:8081", "basic.auth.credentials.source", "SASL_INHERIT")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("basic.auth.credentials.source");
    }

    @Test
    void bounds_are_configurable() {
        final Map<String, Object> props = new HashMap<>();
        props.put("schema.registry.url", "http://registry:8081");
        props.put("schema.registry.connect.timeout.ms", 250);
        props.put("schema.registry.request.timeout.ms", "500");
        props.put("schema.registry.max.retries", 1);
        props.put("schema.registry.retry.backoff.ms", 10);
        props.put("schema.registry.retry.backoff.max.ms", 20);

        final RegistryConnectionSettings settings = config(props).connectionSettings();

        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(settings.requestTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(settings.maxRetries()).isEqualTo(1);
        assertThat(settings.worstCaseCallDuration()).isEqualTo(Duration.ofMillis(2 * 750 + 10));
    }

    @Test
    void a_reader_type_must_be_a_generated_class() {
        final AvroSerdeConfig config = config(Map.of(
                "schema.registry.url", "mock://x", "specific.avro.value.type", String.class));

        assertThatThrownBy(() -> config.specificReaderType(false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("specific.avro.value.type")
                .hasMessageContaining("java.lang.String");
    }

    @Test
    void a_mock_url_names_its_scope_and_must_stand_alone() {
        assertThat(config(Map.of("schema.registry.url", "mock://unit")).mockScope()).isEqualTo(Optional.of("unit"));
        assertThat(config(Map.of("schema.registry.url", "http://r:1")).mockScope()).isEmpty();
        assertThatThrownBy(() -> config(Map.of("schema.registry.url", List.of("mock://unit", "http://r:1"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("mock://");
    }

    @Test
    void every_key_is_documented() {
        assertThat(AvroSerdeConfig.configDef().configKeys().values())
                .allSatisfy(key -> assertThat(key.documentation).isNotBlank());
        assertThat(AvroSerdeConfig.configDef().names()).contains(
                "schema.registry.url", "auto.register.schemas", "use.latest.version", "key.subject.name.strategy",
                "value.subject.name.strategy", "specific.avro.reader", "basic.auth.credentials.source",
                "basic.auth.user.info");
    }

    private static AvroSerdeConfig config(final Map<String, ?> props) {
        return new AvroSerdeConfig(props);
    }

    /** A custom strategy, loaded by class name. */
    public static final class FixedSubject implements SubjectNameStrategy {
        @Override
        public String subjectName(final String topic, final boolean isKey, final Schema schema) {
            return "fixed";
        }
    }
}
