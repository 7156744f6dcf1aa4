package dev.budgetmeter.relay;

/**
 * Where a command was read: the coordinates and original bytes a dead letter carries, so an operator can find and
 * re-send it.
 *
 * @param topic     the commands topic
 * @param partition its partition
 * @param offset    its offset
 * @param timestamp the record's timestamp
 * @param key       the original key bytes
 * @param value     the original value bytes
 */
record CommandSource(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
}
