package dev.budgetmeter.registry.serde;

import static dev.budgetmeter.registry.TestSchemas.METER_V1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class SubjectNameStrategyTest {

    @Test
    void topic_name_strategy_names_the_topic_and_the_side() {
        final TopicNameStrategy strategy = new TopicNameStrategy();

        assertThat(strategy.subjectName("meters", false, METER_V1)).isEqualTo("meters-value");
        assertThat(strategy.subjectName("meters", true, METER_V1)).isEqualTo("meters-key");
    }

    @Test
    void record_name_strategy_names_the_record_on_any_topic() {
        final RecordNameStrategy strategy = new RecordNameStrategy();

        assertThat(strategy.subjectName("meters", false, METER_V1)).isEqualTo("test.Meter");
        assertThat(strategy.subjectName(null, true, METER_V1)).isEqualTo("test.Meter");
    }

    @Test
    void topic_record_name_strategy_names_both() {
        assertThat(new TopicRecordNameStrategy().subjectName("meters", false, METER_V1))
                .isEqualTo("meters-test.Meter");
    }

    @Test
    void record_strategies_need_a_named_schema() {
        final Schema array = Schema.createArray(Schema.create(Schema.Type.INT));

        assertThatThrownBy(() -> new RecordNameStrategy().subjectName("t", false, array))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("RecordNameStrategy needs a named schema")
                .hasMessageContaining("ARRAY");
    }
}
