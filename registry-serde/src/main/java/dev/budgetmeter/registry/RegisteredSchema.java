package dev.budgetmeter.registry;

import java.util.Objects;
import org.apache.avro.Schema;

/**
 * One version of a subject: its registry-wide id, its version number within the subject (from 1) and the schema.
 */
public record RegisteredSchema(int id, int version, Schema schema) {

    public RegisteredSchema {
        Objects.requireNonNull(schema, "schema");
        if (version < 1) {
            throw new IllegalArgumentException("version must be >= 1, was " + version);
        }
    }
}
