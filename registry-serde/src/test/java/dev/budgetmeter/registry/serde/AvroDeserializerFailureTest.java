package dev.budgetmeter.registry.serde;

import static dev.budgetmeter.registry.TestSchemas.meter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.budgetmeter.registry.AvroDecodingException;
import dev.budgetmeter.registry.InvalidWireFormatException;
import dev.budgetmeter.registry.SchemaMismatchException;
import dev.budgetmeter.registry.UnknownSchemaIdException;
import dev.budgetmeter.registry.testschema.Payment;
import dev.budgetmeter.registry.testschema.Refund;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every way a payload can be bad, each with its own exception type, as a dead-lettering consumer needs. */
class AvroDeserializerFailureTest {

    private final MockScope scope = new MockScope();

    @AfterEach
    void dropScope() {
        scope.close();
    }

    @Test
    void a_short_payload_is_an_invalid_wire_format() {
        assertThatThrownBy(() -> scope.deserializer().deserialize("t", new byte[] {0, 0}))
                .isInstanceOfSatisfying(InvalidWireFormatException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidWireFormatException.Reason.TOO_SHORT));
    }

    @Test
    void a_wrong_magic_byte_is_an_invalid_wire_format() {
        assertThatThrownBy(() -> scope.deserializer().deserialize("t", "{\"json\":true}".getBytes()))
                .isInstanceOfSatisfying(InvalidWireFormatException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidWireFormatException.Reason.UNKNOWN_MAGIC_BYTE))
                .hasMessageContaining("0x7b");
    }

    @Test
    void an_id_the_registry_does_not_know_is_named() {
        assertThatThrownBy(() -> scope.deserializer().deserialize("t", new byte[] {0, 0, 0, 0x30, 0x39, 2}))
                .isInstanceOfSatisfying(UnknownSchemaIdException.class,
                        e -> assertThat(e.schemaId()).isEqualTo(12345))
                .hasMessageContaining("12345");
    }

    @Test
    void a_truncated_body_does_not_decode() {
        final byte[] bytes = scope.<GenericRecord>serializer().serialize("meters", meter("a-long-name", 1));

        assertThatThrownBy(() -> scope.deserializer().deserialize("meters", Arrays.copyOf(bytes, bytes.length - 4)))
                .isInstanceOf(AvroDecodingException.class)
                .hasMessageContaining("test.Meter")
                .hasMessageContaining("id " + WireFormat.schemaId(bytes));
    }

    @Test
    void a_garbage_body_does_not_decode() {
        final byte[] bytes = scope.<GenericRecord>serializer().serialize("meters", meter("a", 1));
        final byte[] garbage = Arrays.copyOf(bytes, WireFormat.HEADER_SIZE + 6);
        Arrays.fill(garbage, WireFormat.HEADER_SIZE, garbage.length, (byte) 0xFF);

        assertThatThrownBy(() -> scope.deserializer().deserialize("meters", garbage))
                .isInstanceOf(AvroDecodingException.class);
    }

    @Test
    void bytes_left_over_after_the_record_do_not_decode() {
        final byte[] bytes = scope.<GenericRecord>serializer().serialize("meters", meter("a", 1));
        final byte[] padded = Arrays.copyOf(bytes, bytes.length + 3);

        assertThatThrownBy(() -> scope.deserializer().deserialize("meters", padded))
                .isInstanceOf(AvroDecodingException.class)
                .hasMessageContaining("left over");
    }

    @Test
    void a_payload_of_another_record_is_a_schema_mismatch_naming_both() {
        final Refund refund = Refund.newBuilder().setPaymentId("p-1").setAmount(5L).build();
        final byte[] bytes = scope.<Refund>serializer().serialize("refunds", refund);

        try (SpecificAvroSerde<Payment> payments = new SpecificAvroSerde<>(Payment.class)) {
            payments.configure(scope.config(), false);

            assertThatThrownBy(() -> payments.deserializer().deserialize("payments", bytes))
                    .isInstanceOfSatisfying(SchemaMismatchException.class,
                            e -> assertThat(e.writerName()).isEqualTo(Refund.class.getName()))
                    .hasMessageContaining(Refund.class.getName())
                    .hasMessageContaining(Payment.class.getName())
                    .hasMessageContaining("another subject");
        }
    }

    @Test
    void a_writer_schema_that_cannot_resolve_to_the_class_is_a_schema_mismatch() {
        final Schema amountAsText = SchemaBuilder.record("Payment")
                .namespace("dev.budgetmeter.registry.testschema").fields()
                .requiredString("id").requiredString("amount").endRecord();
        final GenericRecord bad = new GenericData.Record(amountAsText);
        bad.put("id", "p-1");
        bad.put("amount", "lots");
        final byte[] bytes = scope.<GenericRecord>serializer().serialize("payments", bad);

        assertThatThrownBy(() -> scope.deserializer("specific.avro.reader", true).deserialize("payments", bytes))
                .isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("cannot be read as " + Payment.class.getName())
                .hasMessageContaining("TYPE_MISMATCH at /fields/1");
    }

    @Test
    void a_writer_record_without_a_generated_class_is_a_schema_mismatch() {
        final byte[] bytes = scope.<GenericRecord>serializer().serialize("meters", meter("a", 1));

        assertThatThrownBy(() -> scope.deserializer("specific.avro.reader", true).deserialize("meters", bytes))
                .isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("test.Meter")
                .hasMessageContaining("no generated SpecificRecord class");
    }
}
