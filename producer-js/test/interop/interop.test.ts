import { after, before, describe } from 'node:test';
import { createBudgetMeter } from '../../src/budget-meter';
import { startStack } from '../support/stack';
import { TopicReader } from '../support/topic-reader';
import { context, PREFIX, WORKER_ID } from './context';
import { decisionsSuite } from './decisions.suite';
import { failuresSuite } from './failures.suite';
import { javaSuite } from './java.suite';
import { meteringSuite } from './metering.suite';

/**
 * The Node package against the project's own stack, started once for all suites as a child process
 * (`budget-meter stack --with-topology`): a real broker, a real Apicurio Registry and the metering topology, here
 * with the budget ledger deciding every Reserve (`metering.authority=LEDGER`). Subjects without a budget are
 * allowed, metering only (`metering.ledger.unbudgeted=ALLOW`), so the metering suites' streams settle as with an
 * outside authority while the decision suite's tenants have budgets. The suites run in order; the Java one last,
 * since it checks everything the others left in the topics, the ledger's balances included.
 */
describe('producer-js on the real stack', { timeout: 600_000 }, () => {
  before(async () => {
    context.stack = await startStack(['--with-topology', '--topic-prefix', PREFIX, '--partitions', '3',
      '--application-id', 'budget-meter-node-interop', '--set', 'metering.authority=LEDGER',
      '--set', 'metering.ledger.unbudgeted=ALLOW']);
    context.failures = [];
    context.meter = createBudgetMeter({ bootstrapServers: context.stack.bootstrapServers,
      schemaRegistryUrl: context.stack.schemaRegistryUrl, topicPrefix: PREFIX, workerId: WORKER_ID,
      onDeliveryFailure: (failure) => context.failures.push(failure) });
    context.commands = await TopicReader.start(context.stack.bootstrapServers, context.stack.schemaRegistryUrl,
      `${PREFIX}commands`);
    context.streamEvents = await TopicReader.start(context.stack.bootstrapServers, context.stack.schemaRegistryUrl,
      `${PREFIX}stream-events`);
  });

  after(async () => {
    await context.meter?.close();
    await context.commands?.stop();
    await context.streamEvents?.stop();
    await context.stack?.stop();
  });

  meteringSuite();
  failuresSuite();
  decisionsSuite();
  javaSuite();
});
