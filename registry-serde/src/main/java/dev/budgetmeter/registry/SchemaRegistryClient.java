package dev.budgetmeter.registry;

import java.util.List;
import org.apache.avro.Schema;

/**
 * The subset of the Confluent schema registry API that the Avro serde and the project's tools need.
 *
 * <p>Schemas travel as their canonical {@link Schema#toString()} text, so the same schema always maps to the same
 * id even on registries that de-duplicate on raw text. Every method either answers or throws a
 * {@link SchemaRegistryException} subtype: {@link SchemaRegistryUnavailableException} when the registry cannot be
 * reached, the precise types otherwise. Implementations are thread-safe.
 */
public interface SchemaRegistryClient {

    /**
     * Registers {@code schema} under {@code subject}, or finds it when already registered there (idempotent).
     *
     * @return the registry-wide schema id
     * @throws IncompatibleSchemaException when the subject's compatibility level rejects it
     */
    int register(String subject, Schema schema);

    /**
     * The schema with a registry-wide id, with any schema references resolved.
     *
     * @throws UnknownSchemaIdException when the registry does not know the id
     */
    Schema getById(int id);

    /**
     * The id of a schema already registered under a subject; never registers.
     *
     * @throws SchemaNotFoundException when the subject does not exist or does not hold the schema
     */
    int lookupId(String subject, Schema schema);

    /**
     * The newest version registered under a subject.
     *
     * @throws SchemaNotFoundException when the subject does not exist
     */
    RegisteredSchema latest(String subject);

    /**
     * Whether registering {@code schema} under {@code subject} would pass the subject's compatibility level. A
     * subject without versions accepts any schema.
     */
    boolean testCompatibility(String subject, Schema schema);

    /**
     * The compatibility level (such as {@code BACKWARD}) of a subject, falling back to the global level when the
     * subject has none of its own; the global level when {@code subjectOrNullForGlobal} is null.
     */
    String compatibility(String subjectOrNullForGlobal);

    /**
     * Sets the compatibility level of a subject, or the global level when {@code subjectOrNull} is null.
     *
     * @param level one of {@link CompatibilityLevel}'s names
     * @throws IllegalArgumentException when {@code level} is not a known level
     */
    void setCompatibility(String subjectOrNull, String level);

    /** Every subject with at least one version, sorted. */
    List<String> subjects();
}
