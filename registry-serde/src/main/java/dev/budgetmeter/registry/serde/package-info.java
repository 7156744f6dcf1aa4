/**
 * The Avro serde in Confluent's wire format (magic byte 0, 4-byte big-endian schema id, Avro binary), configured with
 * Confluent's keys ({@link dev.budgetmeter.registry.serde.AvroSerdeConfig}):
 * {@link dev.budgetmeter.registry.serde.AvroSerializer}, {@link dev.budgetmeter.registry.serde.AvroDeserializer},
 * {@link dev.budgetmeter.registry.serde.SpecificAvroSerde}, {@link dev.budgetmeter.registry.serde.GenericAvroSerde},
 * the subject name strategies, the registry client a configuration asks for
 * ({@link dev.budgetmeter.registry.serde.SchemaRegistryClients}), and the codec pieces other serdes build on: the
 * wire format's header ({@link dev.budgetmeter.registry.serde.WireFormat}), one datum in Avro binary behind a header
 * ({@link dev.budgetmeter.registry.serde.AvroBinary}) and the data model with Avro's generated encoders on
 * ({@link dev.budgetmeter.registry.serde.SpecificModels}).
 *
 * <p>The top layer of the module: it builds on {@code dev.budgetmeter.registry.internal} and
 * {@link dev.budgetmeter.registry}, neither of which refers back to it.
 */
package dev.budgetmeter.registry.serde;
