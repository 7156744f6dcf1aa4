import { createBudgetMeter } from '../budget-meter';
import { SimulatedLlm } from './simulated-llm';
import { StreamingWorker } from './streaming-worker';

/**
 * `node dist/src/example/main.js [bootstrapServers] [schemaRegistryUrl]`: the example worker's two calls, a healthy
 * one and one whose provider breaks off. The addresses default to the variables `budget-meter stack` prints
 * (KAFKA_BOOTSTRAP_SERVERS, SCHEMA_REGISTRY_URL, BUDGET_METER_METERING_TOPIC_PREFIX); the topic must exist.
 */
async function main(args: string[]): Promise<void> {
  const meter = createBudgetMeter({
    bootstrapServers: args[0] ?? process.env.KAFKA_BOOTSTRAP_SERVERS ?? 'localhost:9092',
    schemaRegistryUrl: args[1] ?? process.env.SCHEMA_REGISTRY_URL ?? 'http://localhost:8081',
    topicPrefix: process.env.BUDGET_METER_METERING_TOPIC_PREFIX,
  });
  try {
    const worker = new StreamingWorker(meter, 'acme');
    const healthy = await worker.answer('Summarise the quarterly report.', 500, SimulatedLlm.answering(320));
    const broken = await worker.answer('Translate the contract.', 500, SimulatedLlm.breakingAt(400, 120));
    console.log(`reservations ${healthy} (completed) and ${broken} (failed) written to ${meter.topic}:`,
      meter.metrics());
  } finally {
    await meter.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
