package dev.budgetmeter.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** Every named type and every field of every topic schema carries a doc: the contracts are read by other teams. */
class ContractDocumentationTest {

    @Test
    void every_record_enum_and_field_has_a_doc() {
        final List<String> undocumented = new ArrayList<>();
        final Set<String> seen = new HashSet<>();
        TopicSchemas.ALL.forEach(schema -> collectUndocumented(schema, seen, undocumented));
        assertThat(undocumented).as("types and fields without a doc").isEmpty();
    }

    private static void collectUndocumented(final Schema schema, final Set<String> seen, final List<String> out) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!seen.add(schema.getFullName())) {
                    return;
                }
                requireDoc(schema.getDoc(), schema.getFullName(), out);
                for (final Schema.Field field : schema.getFields()) {
                    requireDoc(field.doc(), schema.getFullName() + "." + field.name(), out);
                    collectUndocumented(field.schema(), seen, out);
                }
            }
            case ENUM -> {
                if (seen.add(schema.getFullName())) {
                    requireDoc(schema.getDoc(), schema.getFullName(), out);
                }
            }
            case UNION -> schema.getTypes().forEach(branch -> collectUndocumented(branch, seen, out));
            case ARRAY -> collectUndocumented(schema.getElementType(), seen, out);
            case MAP -> collectUndocumented(schema.getValueType(), seen, out);
            default -> { }
        }
    }

    private static void requireDoc(final String doc, final String where, final List<String> out) {
        if (doc == null || doc.isBlank()) {
            out.add(where);
        }
    }
}
