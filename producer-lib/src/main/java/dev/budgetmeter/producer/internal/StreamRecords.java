package dev.budgetmeter.producer.internal;

/**
 * The parts of one stream's Kafka records that every event of the stream shares, encoded once when the stream
 * opens ({@link EventEncoder#forStream}): the reservation id, the record key, and the reservation id as the Avro
 * string field of an event. The arrays are never modified, so one of each serves every record. Immutable.
 *
 * @param reservationId      the stream's reservation id
 * @param key                the key of every record of the stream
 * @param reservationIdBytes the reservation id as the Avro string field of an event (length, then UTF-8)
 */
public record StreamRecords(String reservationId, byte[] key, byte[] reservationIdBytes) {
}
