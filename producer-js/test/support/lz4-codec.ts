import { CompressionCodecs, CompressionTypes } from 'kafkajs';
// lz4js ships no types; these two functions are all that is used.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lz4: { compress(data: Uint8Array): Uint8Array; decompress(data: Uint8Array): Uint8Array } = require('lz4js');

/**
 * Lets kafkajs read LZ4-compressed batches, which the Java producer library writes (kafkajs ships GZIP only). Pure
 * JavaScript (lz4js, LZ4 frames as Kafka writes them), so nothing native is built or downloaded; for the tests'
 * readers only.
 */
export function registerLz4Codec(): void {
  CompressionCodecs[CompressionTypes.LZ4] = () => ({
    compress: async (encoder: { buffer: Buffer }) => Buffer.from(lz4.compress(encoder.buffer)),
    decompress: async (buffer: Buffer) => Buffer.from(lz4.decompress(buffer)),
  });
}
