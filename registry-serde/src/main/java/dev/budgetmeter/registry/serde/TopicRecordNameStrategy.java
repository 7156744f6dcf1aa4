package dev.budgetmeter.registry.serde;

import java.util.Objects;
import org.apache.avro.Schema;

/** Subject {@code <topic>-<record full name>}: one lineage per record type per topic, for topics of mixed types. */
public final class TopicRecordNameStrategy implements SubjectNameStrategy {

    @Override
    public String subjectName(final String topic, final boolean isKey, final Schema schema) {
        Objects.requireNonNull(topic, "TopicRecordNameStrategy needs a topic");
        return topic + "-" + NamedSchemas.fullName(schema, getClass());
    }
}
