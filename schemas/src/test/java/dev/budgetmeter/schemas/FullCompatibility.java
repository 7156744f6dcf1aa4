package dev.budgetmeter.schemas;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/** FULL compatibility (BACKWARD and FORWARD) between two versions of a schema, with Avro's own checker. */
final class FullCompatibility {

    private FullCompatibility() {
    }

    /**
     * Returns one line per problem, each naming the rule, the location of the field (a JSON pointer such as
     * {@code /fields/5/type/0/fields/3}) and Avro's message; empty when {@code current} and {@code published} are
     * FULL-compatible.
     */
    static List<String> problems(final Schema current, final Schema published, final String publishedName) {
        final List<String> problems = new ArrayList<>();
        collect("BACKWARD (the current schema reads data written with " + publishedName + ")", current, published, problems);
        collect("FORWARD (" + publishedName + " reads data written with the current schema)", published, current, problems);
        return problems;
    }

    private static void collect(final String rule, final Schema reader, final Schema writer, final List<String> out) {
        final SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
            result.getResult().getIncompatibilities().forEach(incompatibility -> out.add(rule + " broken: "
                    + incompatibility.getType() + " at " + incompatibility.getLocation() + ": "
                    + incompatibility.getMessage()));
        }
    }
}
