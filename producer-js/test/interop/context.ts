import type { BudgetMeter } from '../../src/budget-meter';
import type { DeliveryFailedError } from '../../src/errors';
import type { Stack } from '../support/stack';
import type { ReadRecord, TopicReader } from '../support/topic-reader';
import { bodyOf } from '../support/topic-reader';

/** What the interop suites share: one stack with the topology on PREFIX, a meter on it, readers of its topics. */
export interface InteropContext {
  stack: Stack;
  meter: BudgetMeter;
  failures: DeliveryFailedError[];
  commands: TopicReader;
  streamEvents: TopicReader;
}

export const PREFIX = 'nodeit.';
export const WORKER_ID = 'node-interop-worker';

/** Filled in by the suite's `before`; the suites only read it inside their tests. */
export const context = {} as InteropContext;

/** The reservation's terminal commands (Commit or Release), once each reservation has one. */
export async function terminalCommands(reservationIds: readonly string[]): Promise<Map<string, ReadRecord[]>> {
  const terminal = (record: ReadRecord) => ['Commit', 'Release'].includes(bodyOf(record.value).kind);
  await context.commands.until(`a terminal command for each of ${reservationIds.join(', ')}`, (records) =>
    reservationIds.every((id) => records.some((record) => record.key === id && terminal(record))));
  const byReservation = new Map<string, ReadRecord[]>();
  for (const id of reservationIds) {
    byReservation.set(id, context.commands.of([id]).filter(terminal));
  }
  return byReservation;
}

/** The one terminal command of a reservation, as kind and fields; fails when there is not exactly one. */
export function onlyTerminal(byReservation: Map<string, ReadRecord[]>, id: string):
    { readonly kind: string; readonly key: string; readonly fields: any } {
  const records = byReservation.get(id) ?? [];
  if (records.length !== 1) {
    throw new Error(`reservation ${id} has ${records.length} terminal commands: ${JSON.stringify(records)}`);
  }
  return { ...bodyOf(records[0].value), key: records[0].value.idempotency_key as string };
}
