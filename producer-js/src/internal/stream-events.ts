import { randomUUID } from 'node:crypto';
import { LIBRARY_VERSION } from '../generated/build-info';
import type { EventType } from '../errors';
import type { StreamReservation } from '../reservation';
import type { Usage } from '../usage';
import type { ChunkCounts } from './pending-chunks';

/** How a stream ended, as the worker saw it (the schema's `Outcome`). */
export type Outcome = 'COMPLETED' | 'FAILED' | 'CANCELLED';

/** A `dev.budgetmeter.schemas.StreamEvent` as the Avro serializer takes it: schema field names, the body union wrapped. */
export interface StreamEventRecord {
  readonly event_id: string;
  readonly reservation_id: string;
  readonly seq: number;
  readonly occurred_at: number;
  readonly producer: { readonly worker_id: string; readonly library_version: string };
  readonly body: Readonly<Record<string, unknown>>;
}

/** One event body and its type, before it gets a seq and an envelope. */
export interface EventBody {
  readonly type: EventType;
  readonly body: Readonly<Record<string, unknown>>;
}

const NAMESPACE = 'dev.budgetmeter.schemas.';
/** The Reserve's idempotency key is derived, so a replayed Reserve is recognised by the authority. */
export const RESERVE_KEY_SUFFIX = ':reserve';

/**
 * The public value types as bodies of the stream-events contract, and the envelope every event shares. The public
 * API never shows Avro names. Event ids are random version-4 UUIDs: unique, and kept when an event is sent again.
 */
export class StreamEvents {
  private readonly producer: StreamEventRecord['producer'];

  constructor(workerId: string) {
    this.producer = Object.freeze({ worker_id: workerId, library_version: LIBRARY_VERSION });
  }

  envelope(reservationId: string, seq: number, occurredAtMs: number, body: EventBody): StreamEventRecord {
    return { event_id: randomUUID(), reservation_id: reservationId, seq, occurred_at: occurredAtMs,
      producer: this.producer, body: body.body };
  }

  /** `replyPartition`: the partition of the decisions topic the budget ledger answers in, when a meter reads one. */
  static reserve(reservation: StreamReservation, replyPartition?: number): EventBody {
    const caps = reservation.caps;
    return wrap('RESERVE', 'Reserve', {
      idempotency_key: reservation.reservationId + RESERVE_KEY_SUFFIX,
      subject: {
        tenant: reservation.tenant,
        workspace: reservation.workspace ?? null,
        app: reservation.app ?? null,
        workflow: reservation.workflow ?? null,
        agent: reservation.agent ?? null,
        toolset: reservation.toolset ?? null,
        dimensions: reservation.dimensions,
      },
      action: { kind: reservation.actionKind, name: reservation.actionName, tags: reservation.actionTags },
      estimate: { unit: reservation.unit, amount: reservation.estimate },
      ttl_ms: reservation.ttlMs,
      grace_period_ms: reservation.gracePeriodMs,
      overage_policy: reservation.overagePolicy,
      expires_at_ms: reservation.expiresAtMs ?? null,
      caps: caps === undefined ? null : {
        max_tokens: caps.maxTokens ?? null,
        max_steps_remaining: caps.maxStepsRemaining ?? null,
        tool_allowlist: caps.toolAllowlist ?? null,
        tool_denylist: caps.toolDenylist ?? null,
        cooldown_ms: caps.cooldownMs ?? null,
      },
      pricing: reservation.pricing === undefined ? null : {
        input_token_price: reservation.pricing.inputTokenPrice,
        output_token_price: reservation.pricing.outputTokenPrice,
      },
      metadata: reservation.metadata,
      reply_partition: replyPartition ?? null,
    });
  }

  static chunk(counts: Pick<ChunkCounts, 'outputTokens' | 'inputTokens' | 'chunks'>): EventBody {
    return wrap('CHUNK', 'Chunk', { tokens_output: counts.outputTokens, tokens_input: counts.inputTokens,
      chunks: counts.chunks });
  }

  /** `unit` is the estimate's: the one unit of the reservation. */
  static usage(usage: Usage, unit: StreamReservation['unit']): EventBody {
    return wrap('USAGE', 'Usage', {
      tokens_input: usage.tokensInput,
      tokens_output: usage.tokensOutput,
      actual: usage.actual === undefined ? null : { unit, amount: usage.actual },
      model_version: usage.modelVersion ?? null,
      custom: usage.custom ?? {},
    });
  }

  static end(outcome: Outcome, reason: string | undefined): EventBody {
    return wrap('END', 'End', { outcome, reason: reason ?? null });
  }
}

function wrap(type: EventType, record: string, fields: Record<string, unknown>): EventBody {
  return { type, body: { [NAMESPACE + record]: fields } };
}
