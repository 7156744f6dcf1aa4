package dev.budgetmeter.registry.serde;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Resolves a configured strategy name: a simple name ({@code TopicNameStrategy}), Confluent's class name
 * ({@code io.confluent.kafka.serializers.subject.TopicNameStrategy}), ours, or any class implementing
 * {@link SubjectNameStrategy} with a public no-argument constructor.
 */
final class SubjectNameStrategies {

    private static final String CONFLUENT_PACKAGE = "io.confluent.kafka.serializers.subject.";
    private static final Map<String, Supplier<SubjectNameStrategy>> BUILT_IN = builtIn();

    private SubjectNameStrategies() {
    }

    static SubjectNameStrategy forName(final String name) {
        final String trimmed = name.trim();
        final Supplier<SubjectNameStrategy> builtIn = BUILT_IN.get(trimmed);
        return builtIn != null ? builtIn.get() : instantiate(trimmed);
    }

    /** A {@link ConfigDef.Validator} that fails a config whose strategy cannot be resolved. */
    static ConfigDef.Validator validator() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(final String key, final Object value) {
                try {
                    forName((String) value);
                } catch (final IllegalArgumentException e) {
                    throw new ConfigException(key, value, e.getMessage());
                }
            }

            @Override
            public String toString() {
                return "TopicNameStrategy, RecordNameStrategy, TopicRecordNameStrategy (simple, Confluent or our"
                        + " class names) or a class implementing " + SubjectNameStrategy.class.getName();
            }
        };
    }

    private static SubjectNameStrategy instantiate(final String className) {
        final Class<?> type;
        try {
            type = Class.forName(className, true, classLoader());
        } catch (final ClassNotFoundException e) {
            throw new IllegalArgumentException("Unknown subject name strategy '" + className + "'", e);
        }
        if (!SubjectNameStrategy.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(
                    className + " does not implement " + SubjectNameStrategy.class.getName());
        }
        try {
            return (SubjectNameStrategy) type.getConstructor().newInstance();
        } catch (final ReflectiveOperationException e) {
            throw new IllegalArgumentException(className + " has no usable public no-argument constructor", e);
        }
    }

    private static ClassLoader classLoader() {
        final ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : SubjectNameStrategies.class.getClassLoader();
    }

    private static Map<String, Supplier<SubjectNameStrategy>> builtIn() {
        final Map<String, Supplier<SubjectNameStrategy>> strategies = new HashMap<>();
        alias(strategies, TopicNameStrategy.class, TopicNameStrategy::new);
        alias(strategies, RecordNameStrategy.class, RecordNameStrategy::new);
        alias(strategies, TopicRecordNameStrategy.class, TopicRecordNameStrategy::new);
        return Map.copyOf(strategies);
    }

    private static void alias(final Map<String, Supplier<SubjectNameStrategy>> strategies,
            final Class<? extends SubjectNameStrategy> type, final Supplier<SubjectNameStrategy> factory) {
        strategies.put(type.getSimpleName(), factory);
        strategies.put(type.getName(), factory);
        strategies.put(CONFLUENT_PACKAGE + type.getSimpleName(), factory);
    }
}
