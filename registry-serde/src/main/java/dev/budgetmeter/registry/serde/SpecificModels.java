package dev.budgetmeter.registry.serde;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Conversion;
import org.apache.avro.specific.SpecificData;

/**
 * The Avro data model to read and write one generated class with: the class's own logical-type conversions, plus
 * the encoders Avro generates into each record class ({@code customEncode}), which write several times faster than
 * Avro's reflective writer and produce the same bytes. Avro leaves them off unless a JVM-wide system property is set
 * before its first use; a model of our own turns them on for our serdes without asking every application for a flag.
 * One model per class, built on first use and shared by all threads.
 */
public final class SpecificModels {

    private static final ConcurrentMap<Class<?>, SpecificData> BY_CLASS = new ConcurrentHashMap<>();

    private SpecificModels() {
    }

    /** The model of a generated class. */
    public static SpecificData of(final Class<?> generatedClass) {
        final SpecificData cached = BY_CLASS.get(generatedClass);
        return cached != null ? cached : BY_CLASS.computeIfAbsent(generatedClass, SpecificModels::build);
    }

    private static SpecificData build(final Class<?> generatedClass) {
        final SpecificData model = new SpecificData(generatedClass.getClassLoader());
        for (final Conversion<?> conversion : SpecificData.getForClass(generatedClass).getConversions()) {
            model.addLogicalTypeConversion(conversion);
        }
        model.setCustomCoders(true);
        return model;
    }
}
