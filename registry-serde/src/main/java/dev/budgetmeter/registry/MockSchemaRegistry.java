package dev.budgetmeter.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;

/**
 * An in-memory registry behind {@code mock://<scope>} URLs, for unit tests without a registry process.
 *
 * <p>There is one instance per scope name for the whole JVM, so a serializer and a deserializer configured with the
 * same {@code mock://} URL see the same schemas; {@link #drop(String)} forgets a scope. It behaves like Confluent's
 * registry where the serde can tell: ids are registry-wide and shared by identical schema texts, versions count from
 * 1 per subject, the default level is BACKWARD and is enforced with Avro's resolution rules (409 as
 * {@link IncompatibleSchemaException}), and misses raise the same exceptions as the HTTP client of
 * {@link dev.budgetmeter.registry.serde.SchemaRegistryClients}.
 */
public final class MockSchemaRegistry implements SchemaRegistryClient {

    private static final ConcurrentMap<String, MockSchemaRegistry> SCOPES = new ConcurrentHashMap<>();

    private final String scope;
    private final Map<String, Integer> idsBySchemaText = new HashMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, List<RegisteredSchema>> versionsBySubject = new TreeMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel = CompatibilityLevel.CONFLUENT_DEFAULT;

    private MockSchemaRegistry(final String scope) {
        this.scope = scope;
    }

    /** The registry of a scope, created empty on first use. */
    public static MockSchemaRegistry forScope(final String scope) {
        return SCOPES.computeIfAbsent(scope, MockSchemaRegistry::new);
    }

    /** Forgets a scope: the next {@link #forScope(String)} starts empty. Clients holding the old one keep it. */
    public static void drop(final String scope) {
        SCOPES.remove(scope);
    }

    /** The scope name, as in {@code mock://<scope>}. */
    public String scope() {
        return scope;
    }

    @Override
    public synchronized int register(final String subject, final Schema schema) {
        final String text = schema.toString();
        final List<RegisteredSchema> versions = versionsBySubject.getOrDefault(subject, List.of());
        for (final RegisteredSchema version : versions) {
            if (version.schema().toString().equals(text)) {
                return version.id();
            }
        }
        final List<String> violations = levelOf(subject)
                .violations(schema, versions.stream().map(RegisteredSchema::schema).toList());
        if (!violations.isEmpty()) {
            throw new IncompatibleSchemaException(subject, "Schema being registered is incompatible with an earlier"
                    + " schema for subject \"" + subject + "\": " + String.join("; ", violations));
        }
        final int id = idsBySchemaText.computeIfAbsent(text, unused -> idsBySchemaText.size() + 1);
        schemasById.putIfAbsent(id, schema);
        final List<RegisteredSchema> updated = new ArrayList<>(versions);
        updated.add(new RegisteredSchema(id, versions.size() + 1, schema));
        versionsBySubject.put(subject, List.copyOf(updated));
        return id;
    }

    @Override
    public synchronized Schema getById(final int id) {
        final Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new UnknownSchemaIdException(id, "no schema with that id in mock scope '" + scope + "'");
        }
        return schema;
    }

    @Override
    public synchronized int lookupId(final String subject, final Schema schema) {
        final String text = schema.toString();
        return existingVersions(subject).stream()
                .filter(version -> version.schema().toString().equals(text))
                .findFirst()
                .orElseThrow(() -> new SchemaNotFoundException(subject,
                        "the given schema does not match any schema under the subject"))
                .id();
    }

    @Override
    public synchronized RegisteredSchema latest(final String subject) {
        final List<RegisteredSchema> versions = existingVersions(subject);
        return versions.get(versions.size() - 1);
    }

    @Override
    public synchronized boolean testCompatibility(final String subject, final Schema schema) {
        final List<Schema> existing = versionsBySubject.getOrDefault(subject, List.of()).stream()
                .map(RegisteredSchema::schema)
                .toList();
        return levelOf(subject).violations(schema, existing).isEmpty();
    }

    @Override
    public synchronized String compatibility(final String subjectOrNullForGlobal) {
        return levelOf(subjectOrNullForGlobal).name();
    }

    @Override
    public synchronized void setCompatibility(final String subjectOrNull, final String level) {
        final CompatibilityLevel parsed = CompatibilityLevel.parse(level);
        if (subjectOrNull == null) {
            globalLevel = parsed;
        } else {
            subjectLevels.put(subjectOrNull, parsed);
        }
    }

    @Override
    public synchronized List<String> subjects() {
        return List.copyOf(versionsBySubject.keySet());
    }

    private CompatibilityLevel levelOf(final String subjectOrNull) {
        return subjectOrNull == null ? globalLevel : subjectLevels.getOrDefault(subjectOrNull, globalLevel);
    }

    private List<RegisteredSchema> existingVersions(final String subject) {
        final List<RegisteredSchema> versions = versionsBySubject.get(subject);
        if (versions == null) {
            throw new SchemaNotFoundException(subject, "subject not found in mock scope '" + scope + "'");
        }
        return versions;
    }
}
