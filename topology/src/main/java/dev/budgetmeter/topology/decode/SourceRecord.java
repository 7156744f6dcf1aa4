package dev.budgetmeter.topology.decode;

/**
 * Where an input record came from and its original bytes, kept with the event so that a dead letter can carry them
 * untouched however late the event is rejected.
 */
public record SourceRecord(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {

    /** A short tag of the record's position, unique within the input topic: {@code <partition>-<offset>}. */
    public String position() {
        return partition + "-" + offset;
    }
}
