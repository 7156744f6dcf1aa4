package dev.budgetmeter.registry.serde;

import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;

/** The full name of a named schema, for the strategies that need one. */
final class NamedSchemas {

    private NamedSchemas() {
    }

    static String fullName(final Schema schema, final Class<?> strategy) {
        return switch (schema.getType()) {
            case RECORD, ENUM, FIXED -> schema.getFullName();
            default -> throw new SerializationException(strategy.getSimpleName()
                    + " needs a named schema (record, enum or fixed), not " + schema.getType());
        };
    }
}
