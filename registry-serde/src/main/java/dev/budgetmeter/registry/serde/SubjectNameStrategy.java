package dev.budgetmeter.registry.serde;

import org.apache.avro.Schema;

/**
 * Chooses the registry subject a record's schema is registered and looked up under, as Confluent's
 * {@code key.subject.name.strategy} / {@code value.subject.name.strategy} do. Implementations are stateless, have a
 * public no-argument constructor, and are called once per (topic, schema), not per record.
 */
@FunctionalInterface
public interface SubjectNameStrategy {

    /**
     * @param topic the topic the record is written to
     * @param isKey whether the schema is of the record's key
     * @param schema the schema being written
     * @return the subject name
     */
    String subjectName(String topic, boolean isKey, Schema schema);
}
