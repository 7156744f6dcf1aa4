package dev.budgetmeter.registry.internal;

import dev.budgetmeter.registry.RegisteredSchema;
import dev.budgetmeter.registry.SchemaRegistryClient;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;

/**
 * Caches what never changes in a registry: the schema of an id, and the id of a schema within a subject (filled by
 * {@link #register}, {@link #lookupId} and {@link #latest}, all three answering from it). Everything else, which can
 * change, goes to the delegate every time.
 *
 * <p>Thread-safe without locks held across registry calls, so a slow registry never blocks cache hits; two threads
 * missing the same entry at once may both ask the registry, which answers both the same (registration is
 * idempotent). The caches are unbounded: a deployment has a handful of schemas, not millions.
 */
public final class CachingSchemaRegistryClient implements SchemaRegistryClient {

    private final SchemaRegistryClient delegate;
    private final ConcurrentMap<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final ConcurrentMap<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();

    public CachingSchemaRegistryClient(final SchemaRegistryClient delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public int register(final String subject, final Schema schema) {
        final SubjectSchema key = new SubjectSchema(subject, schema);
        final Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        final int id = delegate.register(subject, schema);
        remember(key, id);
        return id;
    }

    @Override
    public Schema getById(final int id) {
        final Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        final Schema schema = delegate.getById(id);
        schemasById.putIfAbsent(id, schema);
        return schema;
    }

    @Override
    public int lookupId(final String subject, final Schema schema) {
        final SubjectSchema key = new SubjectSchema(subject, schema);
        final Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        final int id = delegate.lookupId(subject, schema);
        remember(key, id);
        return id;
    }

    @Override
    public RegisteredSchema latest(final String subject) {
        final RegisteredSchema latest = delegate.latest(subject);
        remember(new SubjectSchema(subject, latest.schema()), latest.id());
        return latest;
    }

    @Override
    public boolean testCompatibility(final String subject, final Schema schema) {
        return delegate.testCompatibility(subject, schema);
    }

    @Override
    public String compatibility(final String subjectOrNullForGlobal) {
        return delegate.compatibility(subjectOrNullForGlobal);
    }

    @Override
    public void setCompatibility(final String subjectOrNull, final String level) {
        delegate.setCompatibility(subjectOrNull, level);
    }

    @Override
    public List<String> subjects() {
        return delegate.subjects();
    }

    private void remember(final SubjectSchema key, final int id) {
        idsBySubjectSchema.putIfAbsent(key, id);
        // The registry stores exactly the text we sent, so this schema is what getById(id) would return.
        schemasById.putIfAbsent(id, key.schema());
    }

    private record SubjectSchema(String subject, Schema schema) {
    }
}
