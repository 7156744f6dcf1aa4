import { Partitioners, type PartitionMetadata } from 'kafkajs';

const partitioner = Partitioners.DefaultPartitioner();

/**
 * The partition of the decisions topic a meter reads unless told otherwise: the one Kafka's default partitioner
 * gives its worker id as a key, `toPositive(murmur2(utf8(workerId))) % partitions`, as the Java library picks it, so
 * a worker keeps its partition across restarts and the same worker id lands on the same partition from either
 * library. kafkajs's own partitioner computes it (the Java-compatible murmur2, the one the meter's producer uses); it
 * needs nothing but the partition count when the message has a key.
 */
export function defaultReplyPartition(workerId: string, partitions: number): number {
  const partitionMetadata: PartitionMetadata[] = Array.from({ length: partitions }, (_, partitionId) => ({
    partitionErrorCode: 0, partitionId, leader: 0, replicas: [0], isr: [0] }));
  return partitioner({ topic: 'decisions', partitionMetadata, message: { key: workerId, value: null } });
}
