package dev.budgetmeter.registry;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** Test-local schemas built in code, so that this module depends on no other module's schemas. */
public final class TestSchemas {

    /** {@code test.Meter} v1: name and reading. */
    public static final Schema METER_V1 = SchemaBuilder.record("Meter").namespace("test").fields()
            .requiredString("name")
            .requiredLong("reading")
            .endRecord();

    /** v2 adds an optional field with a default: BACKWARD compatible with v1. */
    public static final Schema METER_V2_WITH_DEFAULT = SchemaBuilder.record("Meter").namespace("test").fields()
            .requiredString("name")
            .requiredLong("reading")
            .name("unit").type().stringType().stringDefault("TOKENS")
            .endRecord();

    /** v2 adds a required field without default: not BACKWARD compatible with v1. */
    public static final Schema METER_V2_REQUIRED_FIELD = SchemaBuilder.record("Meter").namespace("test").fields()
            .requiredString("name")
            .requiredLong("reading")
            .requiredInt("scale")
            .endRecord();

    /** Another record type. */
    public static final Schema GAUGE = SchemaBuilder.record("Gauge").namespace("test").fields()
            .requiredDouble("level")
            .endRecord();

    private TestSchemas() {
    }

    /** A v1 meter record. */
    public static GenericRecord meter(final String name, final long reading) {
        final GenericRecord record = new GenericData.Record(METER_V1);
        record.put("name", name);
        record.put("reading", reading);
        return record;
    }

    /** A gauge record. */
    public static GenericRecord gauge(final double level) {
        final GenericRecord record = new GenericData.Record(GAUGE);
        record.put("level", level);
        return record;
    }
}
