package dev.budgetmeter.registry.serde;

import org.apache.avro.Schema;

/** Subject {@code <record full name>}: one lineage per record type, across every topic that carries it. */
public final class RecordNameStrategy implements SubjectNameStrategy {

    @Override
    public String subjectName(final String topic, final boolean isKey, final Schema schema) {
        return NamedSchemas.fullName(schema, getClass());
    }
}
