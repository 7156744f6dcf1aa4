package dev.budgetmeter.registry.serde;

import java.util.Objects;
import org.apache.avro.Schema;

/** Subject {@code <topic>-key} or {@code <topic>-value}: one schema lineage per topic (Confluent's default). */
public final class TopicNameStrategy implements SubjectNameStrategy {

    @Override
    public String subjectName(final String topic, final boolean isKey, final Schema schema) {
        Objects.requireNonNull(topic, "TopicNameStrategy needs a topic");
        return topic + (isKey ? "-key" : "-value");
    }
}
