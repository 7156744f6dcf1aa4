package dev.budgetmeter.registry.serde;

import static dev.budgetmeter.registry.TestSchemas.METER_V1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class SubjectNameStrategyTest {

    @Test
    void topicNameStrategyNamesTheTopicAndTheSide() {
        final TopicNameStrategy strategy = new TopicNameStrategy();

        assertThat(strategy.subjectName("meters", false, METER_V1)).isEqualTo("meters-value");
        assertThat(strategy.subjectName("meters", true, METER_V1)).isEqualTo("meters-key");
    }

    @Test
    void recordNameStrategyNamesTheRecordOnAnyTopic() {
        final RecordNameStrategy strategy = new RecordNameStrategy();

        assertThat(strategy.subjectName("meters", false, METER_V1)).isEqualTo("test.Meter");
        assertThat(strategy.subjectName(null, true, METER_V1)).isEqualTo("test.Meter");
    }

    @Test
    void topicRecordNameStrategyNamesBoth() {
        assertThat(new TopicRecordNameStrategy().subjectName("meters", false, METER_V1))
                .isEqualTo("meters-test.Meter");
    }

    @Test
    void recordStrategiesNeedANamedSchema() {
        final Schema array = Schema.createArray(Schema.create(Schema.Type.INT));

        assertThatThrownBy(() -> new RecordNameStrategy().subjectName("t", false, array))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("RecordNameStrategy needs a named schema")
                .hasMessageContaining("ARRAY");
    }
}
