package dev.budgetmeter.registry.serde;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * One Avro {@link DatumWriter} per generated class or per generic schema, built on first use and shared by all
 * threads (Avro's writers hold no per-call state). Generated classes write through {@link SpecificModels}: their
 * logical-type conversions and their generated encoders.
 */
final class DatumWriters {

    private final ConcurrentMap<Class<?>, DatumWriter<Object>> bySpecificClass = new ConcurrentHashMap<>();
    private final ConcurrentMap<Schema, DatumWriter<Object>> byGenericSchema = new ConcurrentHashMap<>();

    DatumWriter<Object> writerFor(final GenericContainer datum) {
        if (datum instanceof SpecificRecord) {
            final DatumWriter<Object> cached = bySpecificClass.get(datum.getClass());
            return cached != null ? cached : bySpecificClass.computeIfAbsent(datum.getClass(),
                    type -> new SpecificDatumWriter<>(datum.getSchema(), SpecificModels.of(type)));
        }
        final DatumWriter<Object> cached = byGenericSchema.get(datum.getSchema());
        return cached != null ? cached : byGenericSchema.computeIfAbsent(datum.getSchema(),
                schema -> new GenericDatumWriter<>(schema, GenericData.get()));
    }
}
