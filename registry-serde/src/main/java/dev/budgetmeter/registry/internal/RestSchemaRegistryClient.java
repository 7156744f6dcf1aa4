package dev.budgetmeter.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.budgetmeter.registry.CompatibilityLevel;
import dev.budgetmeter.registry.IncompatibleSchemaException;
import dev.budgetmeter.registry.RegisteredSchema;
import dev.budgetmeter.registry.SchemaNotFoundException;
import dev.budgetmeter.registry.SchemaRegistryClient;
import dev.budgetmeter.registry.UnknownSchemaIdException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.kafka.common.utils.Time;

/**
 * A {@link SchemaRegistryClient} speaking the Confluent REST API ({@code application/vnd.schemaregistry.v1+json})
 * to Confluent's registry or a compatible one such as Apicurio's {@code /apis/ccompat/v7}.
 *
 * <p>Every call is bounded as {@link RegistryConnectionSettings} describes and fails over across its URLs. It caches
 * nothing: wrap it in a {@link CachingSchemaRegistryClient} (as {@link SchemaRegistryClients} does) for serde use.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    private static final String GET = "GET";
    private static final String POST = "POST";
    private static final String PUT = "PUT";

    // Confluent's error codes, which Apicurio's compatibility API shares.
    private static final int SUBJECT_NOT_FOUND = 40401;
    private static final int VERSION_NOT_FOUND = 40402;
    private static final int SCHEMA_NOT_FOUND = 40403;
    private static final int SUBJECT_LEVEL_NOT_CONFIGURED = 40408;

    private final ObjectMapper json = new ObjectMapper();
    private final FailoverHttpTransport http;

    public RestSchemaRegistryClient(final RegistryConnectionSettings settings) {
        this(settings, Time.SYSTEM);
    }

    /** With an injected clock, which also does the sleeping between retries. */
    public RestSchemaRegistryClient(final RegistryConnectionSettings settings, final Time time) {
        this.http = new FailoverHttpTransport(settings, json, time);
    }

    @Override
    public int register(final String subject, final Schema schema) {
        final RegistryResponse response =
                http.send(POST, "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
        if (response.status() == 409) {
            return registeredConcurrently(subject, schema)
                    .orElseThrow(() -> new IncompatibleSchemaException(subject, response.message()));
        }
        return response.successBody().path("id").asInt();
    }

    /**
     * Apicurio answers 409 when several clients register the first version of a subject at the same moment, although
     * the schemas are identical. When the very schema is registered under the subject by now, that was the race and
     * its id is the answer; otherwise the 409 was a real incompatibility.
     */
    private Optional<Integer> registeredConcurrently(final String subject, final Schema schema) {
        try {
            return Optional.of(lookupId(subject, schema));
        } catch (SchemaNotFoundException notRegistered) {
            return Optional.empty();
        }
    }

    @Override
    public Schema getById(final int id) {
        final RegistryResponse response = http.send(GET, "/schemas/ids/" + id, null);
        if (response.isNotFound(SCHEMA_NOT_FOUND)) {
            throw new UnknownSchemaIdException(id, response.message());
        }
        return parseWithReferences(response.successBody());
    }

    @Override
    public int lookupId(final String subject, final Schema schema) {
        return lookup(subject, "/subjects/" + encode(subject), POST, schemaBody(schema)).id();
    }

    @Override
    public RegisteredSchema latest(final String subject) {
        return lookup(subject, "/subjects/" + encode(subject) + "/versions/latest", GET, null);
    }

    @Override
    public boolean testCompatibility(final String subject, final Schema schema) {
        final RegistryResponse response = http.send(
                POST, "/compatibility/subjects/" + encode(subject) + "/versions/latest", schemaBody(schema));
        // No subject or no version yet: nothing to be incompatible with, as a register would find.
        return response.isNotFound(SUBJECT_NOT_FOUND, VERSION_NOT_FOUND)
                || response.successBody().path("is_compatible").asBoolean();
    }

    @Override
    public String compatibility(final String subjectOrNullForGlobal) {
        if (subjectOrNullForGlobal == null) {
            return compatibilityLevel(http.send(GET, "/config", null).successBody());
        }
        final RegistryResponse response =
                http.send(GET, "/config/" + encode(subjectOrNullForGlobal) + "?defaultToGlobal=true", null);
        // Registries answer 404 for a subject without a level of its own (Confluent 40408, Apicurio 40401).
        return response.isNotFound(SUBJECT_NOT_FOUND, SUBJECT_LEVEL_NOT_CONFIGURED)
                ? compatibility(null)
                : compatibilityLevel(response.successBody());
    }

    @Override
    public void setCompatibility(final String subjectOrNull, final String level) {
        final ObjectNode body = json.createObjectNode()
                .put("compatibility", CompatibilityLevel.parse(level).name());
        final String path = subjectOrNull == null ? "/config" : "/config/" + encode(subjectOrNull);
        http.send(PUT, path, body).successBody();
    }

    @Override
    public List<String> subjects() {
        final List<String> subjects = new ArrayList<>();
        http.send(GET, "/subjects", null).successBody().forEach(subject -> subjects.add(subject.asText()));
        subjects.sort(null);
        return List.copyOf(subjects);
    }

    private RegisteredSchema lookup(final String subject, final String path, final String method,
            final JsonNode body) {
        final RegistryResponse response = http.send(method, path, body);
        if (response.isNotFound(SUBJECT_NOT_FOUND, VERSION_NOT_FOUND, SCHEMA_NOT_FOUND)) {
            throw new SchemaNotFoundException(subject, response.message());
        }
        final JsonNode found = response.successBody();
        return new RegisteredSchema(found.path("id").asInt(), found.path("version").asInt(),
                parseWithReferences(found));
    }

    /** Parses a schema document, first parsing the schemas its {@code references} name, depth first. */
    private Schema parseWithReferences(final JsonNode document) {
        final Schema.Parser parser = new Schema.Parser();
        parseReferences(document.path("references"), parser, new ArrayList<>());
        return parser.parse(document.path("schema").asText());
    }

    private void parseReferences(final JsonNode references, final Schema.Parser parser, final List<String> seen) {
        for (final JsonNode reference : references) {
            final String subject = reference.path("subject").asText();
            final String version = reference.path("version").asText();
            final String key = subject + "/" + version;
            if (seen.contains(key)) {
                continue; // a diamond: the type is already known to the parser, which refuses redefinitions
            }
            seen.add(key);
            final JsonNode referenced = http.send(
                    GET, "/subjects/" + encode(subject) + "/versions/" + encode(version), null).successBody();
            parseReferences(referenced.path("references"), parser, seen);
            parser.parse(referenced.path("schema").asText());
        }
    }

    private ObjectNode schemaBody(final Schema schema) {
        // Always the canonical text: registries that de-duplicate on raw text then keep one id per schema.
        return json.createObjectNode().put("schema", schema.toString());
    }

    private static String compatibilityLevel(final JsonNode config) {
        // GET answers compatibilityLevel; some registries (Apicurio 3) use compatibility.
        final JsonNode level = config.has("compatibilityLevel")
                ? config.get("compatibilityLevel")
                : config.path("compatibility");
        return level.asText();
    }

    private static String encode(final String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
