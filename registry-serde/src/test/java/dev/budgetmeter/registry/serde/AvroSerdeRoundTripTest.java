package dev.budgetmeter.registry.serde;

import static dev.budgetmeter.registry.TestSchemas.METER_V1;
import static dev.budgetmeter.registry.TestSchemas.meter;
import static org.assertj.core.api.Assertions.assertThat;

import dev.budgetmeter.registry.testschema.Payment;
import java.io.IOException;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AvroSerdeRoundTripTest {

    private final MockScope scope = new MockScope();

    @AfterEach
    void dropScope() {
        scope.close();
    }

    @Test
    void a_generic_record_round_trips_and_its_bytes_are_the_wire_format() throws IOException {
        final byte[] bytes = scope.<GenericRecord>serializer().serialize("meters", meter("gpu-1", 42L));

        final int registeredId = scope.registry().lookupId("meters-value", METER_V1);
        assertThat(bytes[0]).isZero();
        assertThat(WireFormat.schemaId(bytes)).isEqualTo(registeredId);
        assertThat(plainAvro(bytes)).isEqualTo(meter("gpu-1", 42L));
        assertThat(scope.<GenericRecord>deserializer().deserialize("meters", bytes))
                .isEqualTo(meter("gpu-1", 42L));
    }

    @Test
    void null_is_a_tombstone_both_ways() {
        assertThat(scope.serializer().serialize("meters", null)).isNull();
        assertThat(scope.deserializer().deserialize("meters", null)).isNull();
    }

    @Test
    void a_specific_record_round_trips_as_its_generated_class() {
        final Payment payment = payment("p-1", 1_250L);
        final byte[] bytes = scope.<Payment>serializer().serialize("payments", payment);

        final Object read = scope.deserializer("specific.avro.reader", true).deserialize("payments", bytes);

        assertThat(read).isInstanceOf(Payment.class).isEqualTo(payment);
    }

    @Test
    void without_the_specific_reader_a_specific_record_reads_back_generic() {
        final byte[] bytes = scope.<Payment>serializer().serialize("payments", payment("p-1", 7L));

        final Object read = scope.deserializer().deserialize("payments", bytes);

        assertThat(read).isInstanceOf(GenericRecord.class).isNotInstanceOf(SpecificRecord.class);
        assertThat(((GenericRecord) read).get("amount")).isEqualTo(7L);
    }

    @Test
    void an_older_writer_schema_resolves_to_the_generated_class() {
        // The writer has no "note"; the generated reader fills in its default.
        final Schema olderPayment = SchemaBuilder.record("Payment")
                .namespace("dev.budgetmeter.registry.testschema").fields()
                .requiredString("id").requiredLong("amount").endRecord();
        final GenericRecord older = new GenericData.Record(olderPayment);
        older.put("id", "p-2");
        older.put("amount", 99L);
        final byte[] bytes = scope.<GenericRecord>serializer().serialize("payments", older);

        final Object read = scope.deserializer("specific.avro.reader", true).deserialize("payments", bytes);

        assertThat(read).isEqualTo(Payment.newBuilder().setId("p-2").setAmount(99L).setNote(null).build());
    }

    @Test
    void the_specific_serde_reads_every_payload_as_its_class() {
        try (SpecificAvroSerde<Payment> serde = new SpecificAvroSerde<>(Payment.class)) {
            serde.configure(scope.config(), false);
            final Payment payment = payment("p-3", 3L);

            final Payment read = serde.deserializer().deserialize("payments",
                    serde.serializer().serialize("payments", payment));

            assertThat(read).isEqualTo(payment);
        }
    }

    @Test
    void the_generic_serde_reads_generic_even_when_asked_for_specific() {
        try (GenericAvroSerde serde = new GenericAvroSerde()) {
            serde.configure(scope.config("specific.avro.reader", true), false);

            final GenericRecord read = serde.deserializer().deserialize("payments",
                    scope.<Payment>serializer().serialize("payments", payment("p-4", 4L)));

            assertThat(read).isNotInstanceOf(SpecificRecord.class);
            assertThat(read.get("id")).hasToString("p-4");
        }
    }

    private static Payment payment(final String id, final long amount) {
        return Payment.newBuilder().setId(id).setAmount(amount).setNote(null).build();
    }

    private static GenericRecord plainAvro(final byte[] bytes) throws IOException {
        final byte[] body = Arrays.copyOfRange(bytes, WireFormat.HEADER_SIZE, bytes.length);
        return new GenericDatumReader<GenericRecord>(METER_V1)
                .read(null, DecoderFactory.get().binaryDecoder(body, null));
    }
}
