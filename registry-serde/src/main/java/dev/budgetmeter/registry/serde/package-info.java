/**
 * The Avro serde in Confluent's wire format (magic byte 0, 4-byte big-endian schema id, Avro binary), configured with
 * Confluent's keys ({@link dev.budgetmeter.registry.serde.AvroSerdeConfig}):
 * {@link dev.budgetmeter.registry.serde.AvroSerializer}, {@link dev.budgetmeter.registry.serde.AvroDeserializer},
 * {@link dev.budgetmeter.registry.serde.SpecificAvroSerde}, {@link dev.budgetmeter.registry.serde.GenericAvroSerde},
 * and the subject name strategies.
 */
package dev.budgetmeter.registry.serde;
