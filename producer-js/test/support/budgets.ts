import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { AvroSerializer, registryClient, SerdeType, TOPIC_VALUE_SUBJECTS } from '../../src/internal/registry';

/** The repository's published schemas (dist/test/support -> producer-js -> ../schemas). */
const PUBLISHED = join(__dirname, '..', '..', '..', '..', 'schemas', 'published', 'BudgetOperation');

/** One budget as `budget-meter budgets set <scope> --allocated N [--max-tokens M]` sets it, in USD microcents. */
export interface BudgetToSet {
  readonly scope: string;
  readonly allocated: number;
  readonly maxTokens?: number;
}

/**
 * Writes one SetBudget operation per budget to `<prefix>budget-operations`, as the cli's `budgets set` does (keyed
 * by tenant, an operation id as idempotency key, the newest published BudgetOperation schema), without a JVM start
 * per budget. The ledger applies each once; the caller waits for the balances it writes.
 */
export async function setBudgets(bootstrapServers: string, schemaRegistryUrl: string, prefix: string,
                                 budgets: readonly BudgetToSet[]): Promise<void> {
  const topic = `${prefix}budget-operations`;
  const newest = Math.max(...readdirSync(PUBLISHED).map((name) => Number(/^v(\d+)\.avsc$/.exec(name)?.[1] ?? 0)));
  const schema = JSON.stringify(JSON.parse(readFileSync(join(PUBLISHED, `v${newest}.avsc`), 'utf8')));
  const client = registryClient({ url: schemaRegistryUrl, requestTimeoutMs: 10_000, maxRetries: 2 });
  const id = await client.register(`${topic}-value`, { schemaType: 'AVRO', schema });
  const serializer = new AvroSerializer(client, SerdeType.VALUE, { useSchemaId: id, ...TOPIC_VALUE_SUBJECTS });
  const messages = await Promise.all(budgets.map(async (budget) => {
    const tenant = /^tenant:([^/]+)/.exec(budget.scope)?.[1];
    if (tenant === undefined) {
      throw new Error(`scope ${budget.scope} must start with its tenant`);
    }
    const operation = {
      operation_id: randomUUID(), tenant, scope: budget.scope, unit: 'USD_MICROCENTS', issued_at: Date.now(),
      issued_by: 'producer-js interop tests', reason: null,
      body: { 'dev.budgetmeter.schemas.SetBudget': { allocated: budget.allocated, overdraft_limit: 0,
        caps: budget.maxTokens === undefined ? null : { max_tokens: budget.maxTokens, max_steps_remaining: null,
          tool_allowlist: null, tool_denylist: null, cooldown_ms: null } } },
    };
    return { key: tenant, value: await serializer.serialize(topic, operation) };
  }));
  const producer = new Kafka({ brokers: [bootstrapServers], logLevel: logLevel.NOTHING })
    .producer({ idempotent: true, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages });
  } finally {
    await producer.disconnect();
  }
}
