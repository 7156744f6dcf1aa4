package dev.budgetmeter.registry.serde;

import dev.budgetmeter.registry.internal.RegistryConnectionSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The configuration of the Avro serde and its registry client, with Confluent's keys and defaults so existing
 * properties files work unchanged. Parsing validates every value: a bad strategy, credential source or URL fails
 * here, at configure time, not on the first record.
 */
public final class AvroSerdeConfig extends AbstractConfig {

    /** The scheme of an in-memory registry, one per scope name: {@code mock://<scope>}. */
    public static final String MOCK_URL_PREFIX = "mock://";

    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
    public static final String SCHEMA_REGISTRY_URL_DOC = "Comma-separated registry base URLs (such as"
            + " http://host:8081 or, for Apicurio, http://host:8080/apis/ccompat/v7), tried in order with failover;"
            + " or a single mock://<scope> for an in-memory registry in unit tests. Credentials may be embedded"
            + " as http://user:password@host when basic.auth.credentials.source is URL.";

    public static final String AUTO_REGISTER_SCHEMAS_CONFIG = "auto.register.schemas";
    public static final String AUTO_REGISTER_SCHEMAS_DOC = "Whether the serializer registers a record's schema"
            + " under its subject (once per subject and schema); when false it only looks up the schema's id.";
    public static final boolean AUTO_REGISTER_SCHEMAS_DEFAULT = true;

    public static final String USE_LATEST_VERSION_CONFIG = "use.latest.version";
    public static final String USE_LATEST_VERSION_DOC = "When auto.register.schemas is false, write with the id of"
            + " the subject's latest version instead of looking the record's schema up. The latest schema must"
            + " equal the record's schema; it is fetched once per subject for the serializer's lifetime.";
    public static final boolean USE_LATEST_VERSION_DEFAULT = false;

    public static final String KEY_SUBJECT_NAME_STRATEGY_CONFIG = "key.subject.name.strategy";
    public static final String KEY_SUBJECT_NAME_STRATEGY_DOC = "How the subject of a key schema is named:"
            + " TopicNameStrategy (<topic>-key), RecordNameStrategy (<record full name>) or TopicRecordNameStrategy"
            + " (<topic>-<record full name>); simple names, Confluent's class names"
            + " (io.confluent.kafka.serializers.subject.*) and ours are accepted, as is any class implementing "
            + SubjectNameStrategy.class.getName() + ".";
    public static final String VALUE_SUBJECT_NAME_STRATEGY_CONFIG = "value.subject.name.strategy";
    public static final String VALUE_SUBJECT_NAME_STRATEGY_DOC =
            KEY_SUBJECT_NAME_STRATEGY_DOC.replace("key schema", "value schema").replace("-key)", "-value)");
    public static final String SUBJECT_NAME_STRATEGY_DEFAULT = TopicNameStrategy.class.getName();

    public static final String SPECIFIC_AVRO_READER_CONFIG = "specific.avro.reader";
    public static final String SPECIFIC_AVRO_READER_DOC = "Whether the deserializer returns generated"
            + " SpecificRecord classes (resolving the writer schema to the class's schema) instead of GenericRecord.";
    public static final boolean SPECIFIC_AVRO_READER_DEFAULT = false;

    public static final String SPECIFIC_AVRO_KEY_TYPE_CONFIG = "specific.avro.key.type";
    public static final String SPECIFIC_AVRO_KEY_TYPE_DOC = "With specific.avro.reader, the generated class every"
            + " key is read as; a payload of another record is refused. Unset: the class named by the writer schema.";
    public static final String SPECIFIC_AVRO_VALUE_TYPE_CONFIG = "specific.avro.value.type";
    public static final String SPECIFIC_AVRO_VALUE_TYPE_DOC = SPECIFIC_AVRO_KEY_TYPE_DOC.replace(" key ", " value ");

    public static final String BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE_DOC = "Where basic-auth credentials come from: URL"
            + " (user:password embedded in schema.registry.url; none if absent) or USER_INFO (basic.auth.user.info).";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE_DEFAULT = "URL";
    public static final String CREDENTIALS_FROM_URL = "URL";
    public static final String CREDENTIALS_FROM_USER_INFO = "USER_INFO";

    public static final String BASIC_AUTH_USER_INFO_CONFIG = "basic.auth.user.info";
    public static final String BASIC_AUTH_USER_INFO_DOC = "Basic-auth credentials as user:password, used when"
            + " basic.auth.credentials.source is USER_INFO.";
    public static final String BASIC_AUTH_USER_INFO_DEFAULT = "";

    public static final String CONNECT_TIMEOUT_MS_CONFIG = "schema.registry.connect.timeout.ms";
    public static final String CONNECT_TIMEOUT_MS_DOC = "Bound on opening a connection to one registry URL.";
    public static final int CONNECT_TIMEOUT_MS_DEFAULT =
            (int) RegistryConnectionSettings.DEFAULT_CONNECT_TIMEOUT.toMillis();

    public static final String REQUEST_TIMEOUT_MS_CONFIG = "schema.registry.request.timeout.ms";
    public static final String REQUEST_TIMEOUT_MS_DOC = "Bound on one registry request, from sending it to reading"
            + " the whole answer.";
    public static final int REQUEST_TIMEOUT_MS_DEFAULT =
            (int) RegistryConnectionSettings.DEFAULT_REQUEST_TIMEOUT.toMillis();

    public static final String MAX_RETRIES_CONFIG = "schema.registry.max.retries";
    public static final String MAX_RETRIES_DOC = "Retries after a failed attempt (connection failure, timeout, 5xx,"
            + " 408 or 429), each on the next URL. A call sends at most 1 + this many requests, then fails with"
            + " SchemaRegistryUnavailableException naming the URLs tried.";
    public static final int MAX_RETRIES_DEFAULT = RegistryConnectionSettings.DEFAULT_MAX_RETRIES;

    public static final String RETRY_BACKOFF_MS_CONFIG = "schema.registry.retry.backoff.ms";
    public static final String RETRY_BACKOFF_MS_DOC = "Wait before the first retry; it doubles per retry.";
    public static final long RETRY_BACKOFF_MS_DEFAULT = RegistryConnectionSettings.DEFAULT_RETRY_BACKOFF.toMillis();

    public static final String RETRY_BACKOFF_MAX_MS_CONFIG = "schema.registry.retry.backoff.max.ms";
    public static final String RETRY_BACKOFF_MAX_MS_DOC = "Cap on the doubling wait between retries.";
    public static final long RETRY_BACKOFF_MAX_MS_DEFAULT =
            RegistryConnectionSettings.DEFAULT_RETRY_BACKOFF_MAX.toMillis();

    private static final ConfigDef CONFIG = new ConfigDef()
            .define(SCHEMA_REGISTRY_URL_CONFIG, Type.LIST, ConfigDef.NO_DEFAULT_VALUE,
                    (name, value) -> {
                        if (((List<?>) value).isEmpty()) {
                            throw new ConfigException(name + " needs at least one URL");
                        }
                    }, Importance.HIGH, SCHEMA_REGISTRY_URL_DOC)
            .define(AUTO_REGISTER_SCHEMAS_CONFIG, Type.BOOLEAN, AUTO_REGISTER_SCHEMAS_DEFAULT,
                    Importance.MEDIUM, AUTO_REGISTER_SCHEMAS_DOC)
            .define(USE_LATEST_VERSION_CONFIG, Type.BOOLEAN, USE_LATEST_VERSION_DEFAULT,
                    Importance.LOW, USE_LATEST_VERSION_DOC)
            .define(KEY_SUBJECT_NAME_STRATEGY_CONFIG, Type.STRING, SUBJECT_NAME_STRATEGY_DEFAULT,
                    SubjectNameStrategies.validator(), Importance.MEDIUM, KEY_SUBJECT_NAME_STRATEGY_DOC)
            .define(VALUE_SUBJECT_NAME_STRATEGY_CONFIG, Type.STRING, SUBJECT_NAME_STRATEGY_DEFAULT,
                    SubjectNameStrategies.validator(), Importance.MEDIUM, VALUE_SUBJECT_NAME_STRATEGY_DOC)
            .define(SPECIFIC_AVRO_READER_CONFIG, Type.BOOLEAN, SPECIFIC_AVRO_READER_DEFAULT,
                    Importance.LOW, SPECIFIC_AVRO_READER_DOC)
            .define(SPECIFIC_AVRO_KEY_TYPE_CONFIG, Type.CLASS, null, Importance.LOW, SPECIFIC_AVRO_KEY_TYPE_DOC)
            .define(SPECIFIC_AVRO_VALUE_TYPE_CONFIG, Type.CLASS, null, Importance.LOW, SPECIFIC_AVRO_VALUE_TYPE_DOC)
            .define(BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, Type.STRING, BASIC_AUTH_CREDENTIALS_SOURCE_DEFAULT,
                    ConfigDef.ValidString.in(CREDENTIALS_FROM_URL, CREDENTIALS_FROM_USER_INFO),
                    Importance.MEDIUM, BASIC_AUTH_CREDENTIALS_SOURCE_DOC)
            .define(BASIC_AUTH_USER_INFO_CONFIG, Type.PASSWORD, BASIC_AUTH_USER_INFO_DEFAULT,
                    Importance.MEDIUM, BASIC_AUTH_USER_INFO_DOC)
            .define(CONNECT_TIMEOUT_MS_CONFIG, Type.INT, CONNECT_TIMEOUT_MS_DEFAULT, ConfigDef.Range.atLeast(1),
                    Importance.LOW, CONNECT_TIMEOUT_MS_DOC)
            .define(REQUEST_TIMEOUT_MS_CONFIG, Type.INT, REQUEST_TIMEOUT_MS_DEFAULT, ConfigDef.Range.atLeast(1),
                    Importance.LOW, REQUEST_TIMEOUT_MS_DOC)
            .define(MAX_RETRIES_CONFIG, Type.INT, MAX_RETRIES_DEFAULT, ConfigDef.Range.atLeast(0),
                    Importance.LOW, MAX_RETRIES_DOC)
            .define(RETRY_BACKOFF_MS_CONFIG, Type.LONG, RETRY_BACKOFF_MS_DEFAULT, ConfigDef.Range.atLeast(1),
                    Importance.LOW, RETRY_BACKOFF_MS_DOC)
            .define(RETRY_BACKOFF_MAX_MS_CONFIG, Type.LONG, RETRY_BACKOFF_MAX_MS_DEFAULT,
                    ConfigDef.Range.atLeast(1), Importance.LOW, RETRY_BACKOFF_MAX_MS_DOC);

    private final List<String> urls;

    public AvroSerdeConfig(final Map<String, ?> props) {
        // Not logged: a URL may embed credentials, and AbstractConfig's dump would print them.
        super(CONFIG, props, false);
        this.urls = getList(SCHEMA_REGISTRY_URL_CONFIG).stream().map(String::trim).toList();
        final long mocks = urls.stream().filter(url -> url.startsWith(MOCK_URL_PREFIX)).count();
        if (mocks > 0 && (mocks != 1 || urls.size() != 1)) {
            throw new ConfigException(
                    SCHEMA_REGISTRY_URL_CONFIG + ": a mock:// URL must be the only registry URL");
        }
        if (mockScope().isEmpty()) {
            connectionSettings(); // validates URLs and credentials now rather than at the first record
        }
    }

    /** A copy of the definition, for documentation and tooling. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    /** The scope name when the registry is {@code mock://<scope>}. */
    public Optional<String> mockScope() {
        final String first = urls.get(0);
        return first.startsWith(MOCK_URL_PREFIX)
                ? Optional.of(first.substring(MOCK_URL_PREFIX.length()))
                : Optional.empty();
    }

    /**
     * How to reach the HTTP registry: URLs without credentials, credentials from the configured source, bounds. The
     * settings type belongs to the internal package: it is what {@link SchemaRegistryClients} builds a client from,
     * shown here for diagnostics (its {@code toString} masks the password), not a type to program against.
     *
     * @throws ConfigException for a mock URL, a malformed URL, or USER_INFO without credentials
     */
    public RegistryConnectionSettings connectionSettings() {
        if (mockScope().isPresent()) {
            throw new ConfigException(SCHEMA_REGISTRY_URL_CONFIG + ": a mock:// registry has no HTTP settings");
        }
        final List<URI> plainUrls = new ArrayList<>();
        Optional<String> urlUserInfo = Optional.empty();
        for (final String url : urls) {
            final URI uri = parseUrl(url);
            if (uri.getUserInfo() != null && urlUserInfo.isEmpty()) {
                urlUserInfo = Optional.of(uri.getUserInfo());
            }
            plainUrls.add(withoutUserInfo(uri));
        }
        try {
            return new RegistryConnectionSettings(plainUrls, credentials(urlUserInfo),
                    Duration.ofMillis(getInt(CONNECT_TIMEOUT_MS_CONFIG)),
                    Duration.ofMillis(getInt(REQUEST_TIMEOUT_MS_CONFIG)),
                    getInt(MAX_RETRIES_CONFIG),
                    Duration.ofMillis(getLong(RETRY_BACKOFF_MS_CONFIG)),
                    Duration.ofMillis(getLong(RETRY_BACKOFF_MAX_MS_CONFIG)));
        } catch (final IllegalArgumentException e) {
            throw new ConfigException(SCHEMA_REGISTRY_URL_CONFIG, plainUrls, e.getMessage());
        }
    }

    /** Whether the serializer registers schemas. */
    public boolean autoRegisterSchemas() {
        return getBoolean(AUTO_REGISTER_SCHEMAS_CONFIG);
    }

    /** Whether the serializer writes with the subject's latest version. */
    public boolean useLatestVersion() {
        return getBoolean(USE_LATEST_VERSION_CONFIG);
    }

    /** A new instance of the key or value subject name strategy. */
    public SubjectNameStrategy subjectNameStrategy(final boolean isKey) {
        return SubjectNameStrategies.forName(
                getString(isKey ? KEY_SUBJECT_NAME_STRATEGY_CONFIG : VALUE_SUBJECT_NAME_STRATEGY_CONFIG));
    }

    /** Whether the deserializer produces SpecificRecord classes. */
    public boolean specificAvroReader() {
        return getBoolean(SPECIFIC_AVRO_READER_CONFIG);
    }

    /**
     * The generated class every key or value is read as, when configured.
     *
     * @throws ConfigException when the configured class is not a generated SpecificRecord
     */
    public Optional<Class<?>> specificReaderType(final boolean isKey) {
        final String key = isKey ? SPECIFIC_AVRO_KEY_TYPE_CONFIG : SPECIFIC_AVRO_VALUE_TYPE_CONFIG;
        final Class<?> type = getClass(key);
        if (type != null && !SpecificRecord.class.isAssignableFrom(type)) {
            throw new ConfigException(key, type.getName(), "not a generated SpecificRecord class");
        }
        return Optional.ofNullable(type);
    }

    private Optional<String> credentials(final Optional<String> urlUserInfo) {
        if (CREDENTIALS_FROM_URL.equals(getString(BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG))) {
            return urlUserInfo;
        }
        final Password userInfo = getPassword(BASIC_AUTH_USER_INFO_CONFIG);
        if (userInfo == null || userInfo.value().isEmpty()) {
            throw new ConfigException(BASIC_AUTH_USER_INFO_CONFIG + " must be user:password when "
                    + BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG + " is " + CREDENTIALS_FROM_USER_INFO);
        }
        return Optional.of(userInfo.value());
    }

    private URI parseUrl(final String url) {
        try {
            return new URI(url);
        } catch (final URISyntaxException e) {
            // The message would echo embedded credentials; name the position only.
            throw new ConfigException(SCHEMA_REGISTRY_URL_CONFIG + " holds a malformed URL (at index "
                    + e.getIndex() + ")");
        }
    }

    private static URI withoutUserInfo(final URI uri) {
        try {
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(),
                    uri.getFragment());
        } catch (final URISyntaxException e) {
            throw new ConfigException(SCHEMA_REGISTRY_URL_CONFIG + " holds a malformed URL");
        }
    }
}
