package dev.budgetmeter.registry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * The compatibility levels of the Confluent registry API and what each one checks, with Avro's own schema
 * resolution rules deciding whether one schema can read data written with another.
 */
public enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    /** Confluent's default level; Apicurio defaults to NONE. */
    public static final CompatibilityLevel CONFLUENT_DEFAULT = BACKWARD;

    private final boolean newReadsOld;
    private final boolean oldReadsNew;
    private final boolean transitive;

    CompatibilityLevel(final boolean newReadsOld, final boolean oldReadsNew, final boolean transitive) {
        this.newReadsOld = newReadsOld;
        this.oldReadsNew = oldReadsNew;
        this.transitive = transitive;
    }

    /**
     * Parses a level name case-insensitively.
     *
     * @throws IllegalArgumentException naming the valid levels when {@code name} is none of them
     */
    public static CompatibilityLevel parse(final String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (final IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("Unknown compatibility level '" + name + "', expected one of "
                    + Arrays.toString(values()), e);
        }
    }

    /**
     * Why {@code candidate} may not be added after {@code existingOldestFirst} at this level; empty when it may.
     */
    public List<String> violations(final Schema candidate, final List<Schema> existingOldestFirst) {
        if (existingOldestFirst.isEmpty()) {
            return List.of();
        }
        final List<Schema> checked = transitive
                ? existingOldestFirst
                : List.of(existingOldestFirst.get(existingOldestFirst.size() - 1));
        final List<String> violations = new ArrayList<>();
        for (final Schema existing : checked) {
            if (newReadsOld) {
                violations.addAll(incompatibilities(candidate, existing, "new schema cannot read old data"));
            }
            if (oldReadsNew) {
                violations.addAll(incompatibilities(existing, candidate, "old schema cannot read new data"));
            }
        }
        return violations;
    }

    private static List<String> incompatibilities(final Schema reader, final Schema writer, final String what) {
        final SchemaCompatibility.SchemaCompatibilityResult result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult();
        if (result.getCompatibility() == SchemaCompatibilityType.COMPATIBLE) {
            return List.of();
        }
        return result.getIncompatibilities().stream()
                .map(i -> what + ": " + i.getType() + " at " + i.getLocation() + " (" + i.getMessage() + ")")
                .toList();
    }
}
