package dev.budgetmeter.registry.serde;

import dev.budgetmeter.registry.SchemaMismatchException;
import dev.budgetmeter.registry.SchemaRegistryClient;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityResult;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * The reader of each writer schema id, resolved once and shared by all threads: generic (writer schema as reader),
 * or specific, resolving the writer schema to a generated class's schema after checking that it names the same
 * record and that Avro can resolve one to the other. A refused id is not cached, so fixing the classpath or the
 * registry needs no restart.
 */
final class DatumReaders {

    private final SchemaRegistryClient client;
    private final boolean specific;
    private final Optional<Class<?>> readerType;
    private final ConcurrentMap<Integer, PayloadCodec.ResolvedReader> bySchemaId = new ConcurrentHashMap<>();
    /** The reader found last: nearly every record of a topic has the same schema id, so most lookups stop here. */
    private volatile PayloadCodec.ResolvedReader lastUsed;

    DatumReaders(final SchemaRegistryClient client, final boolean specific, final Optional<Class<?>> readerType) {
        this.client = client;
        this.specific = specific;
        this.readerType = readerType;
    }

    PayloadCodec.ResolvedReader forSchemaId(final int schemaId) {
        final PayloadCodec.ResolvedReader last = lastUsed;
        if (last != null && last.schemaId() == schemaId) {
            return last;
        }
        PayloadCodec.ResolvedReader cached = bySchemaId.get(schemaId);
        if (cached == null) {
            cached = resolve(schemaId, client.getById(schemaId));
            bySchemaId.putIfAbsent(schemaId, cached);
        }
        lastUsed = cached;
        return cached;
    }

    private PayloadCodec.ResolvedReader resolve(final int schemaId, final Schema writer) {
        final String writerName = writer.getFullName();
        if (!specific) {
            return new PayloadCodec.ResolvedReader(schemaId, writerName,
                    new GenericDatumReader<>(writer, writer, GenericData.get()));
        }
        final Class<?> type = readerType.orElseGet(() -> generatedClassOf(schemaId, writer));
        final SpecificData model = SpecificModels.of(type);
        final Schema reader = model.getSchema(type);
        if (!reader.getFullName().equals(writerName)) {
            throw SchemaMismatchException.otherRecord(schemaId, writerName, reader.getFullName());
        }
        final SchemaCompatibilityResult result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult();
        if (result.getCompatibility() != SchemaCompatibilityType.COMPATIBLE) {
            throw SchemaMismatchException.unresolvable(schemaId, writerName, type.getName(),
                    result.getIncompatibilities().stream()
                            .map(i -> i.getType() + " at " + i.getLocation() + " (" + i.getMessage() + ")")
                            .collect(Collectors.joining("; ")));
        }
        return new PayloadCodec.ResolvedReader(schemaId, writerName, new SpecificDatumReader<>(writer, reader, model));
    }

    private static Class<?> generatedClassOf(final int schemaId, final Schema writer) {
        final Class<?> type;
        try {
            type = SpecificData.get().getClass(writer);
        } catch (final SecurityException e) {
            // Avro refuses classes outside org.apache.avro.SERIALIZABLE_PACKAGES: as unreadable as a missing one.
            throw SchemaMismatchException.noGeneratedClass(schemaId, writer.getFullName(), e.getMessage());
        }
        if (type == null || !SpecificRecord.class.isAssignableFrom(type)) {
            throw SchemaMismatchException.noGeneratedClass(schemaId, writer.getFullName(), "not on the classpath");
        }
        return type;
    }
}
