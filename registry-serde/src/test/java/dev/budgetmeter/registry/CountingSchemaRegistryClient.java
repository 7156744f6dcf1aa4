package dev.budgetmeter.registry;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;

/** A pass-through to a real client that counts calls, to prove what reaches the registry and what does not. */
public final class CountingSchemaRegistryClient implements SchemaRegistryClient {

    private final SchemaRegistryClient delegate;
    private final AtomicInteger calls = new AtomicInteger();

    public CountingSchemaRegistryClient(final SchemaRegistryClient delegate) {
        this.delegate = delegate;
    }

    /** Calls made so far, of any method. */
    public int calls() {
        return calls.get();
    }

    @Override
    public int register(final String subject, final Schema schema) {
        calls.incrementAndGet();
        return delegate.register(subject, schema);
    }

    @Override
    public Schema getById(final int id) {
        calls.incrementAndGet();
        return delegate.getById(id);
    }

    @Override
    public int lookupId(final String subject, final Schema schema) {
        calls.incrementAndGet();
        return delegate.lookupId(subject, schema);
    }

    @Override
    public RegisteredSchema latest(final String subject) {
        calls.incrementAndGet();
        return delegate.latest(subject);
    }

    @Override
    public boolean testCompatibility(final String subject, final Schema schema) {
        calls.incrementAndGet();
        return delegate.testCompatibility(subject, schema);
    }

    @Override
    public String compatibility(final String subjectOrNullForGlobal) {
        calls.incrementAndGet();
        return delegate.compatibility(subjectOrNullForGlobal);
    }

    @Override
    public void setCompatibility(final String subjectOrNull, final String level) {
        calls.incrementAndGet();
        delegate.setCompatibility(subjectOrNull, level);
    }

    @Override
    public List<String> subjects() {
        calls.incrementAndGet();
        return delegate.subjects();
    }
}
