import { createHash } from 'node:crypto';
import { LenityError } from '../shared/errors.ts';
import type { Executor } from './transaction.ts';
import { inTransaction } from './transaction.ts';

export interface IdempotentOutcome<T> {
  /** `created` the first time; `replayed` when the same key and request came before. */
  outcome: 'created' | 'replayed';
  status: number;
  body: T;
}

/** A stable hash of a request body: keys sorted, so formatting and key order do not matter. */
export function hashRequest(value: unknown): string {
  return createHash('sha256').update(stableStringify(value)).digest('hex');
}

function stableStringify(value: unknown): string {
  if (typeof value === 'bigint') return JSON.stringify(value.toString());
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableStringify(item)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

const MAX_KEY_LENGTH = 200;

/**
 * Runs `work` once per (scope, key): a retry with the same request gets the first result; the same
 * key with a different request is refused with IDEMPOTENCY_KEY_REUSED. The record is written in the
 * same transaction as the work, so a crash leaves neither.
 */
export async function runIdempotent<T>(
  db: Executor,
  request: { scope: string; key: string; body: unknown },
  work: (transaction: Executor) => Promise<{ status: number; body: T }>,
): Promise<IdempotentOutcome<T>> {
  if (!request.key || request.key.length > MAX_KEY_LENGTH) {
    throw new LenityError('IDEMPOTENCY_KEY_REQUIRED', `An Idempotency-Key of 1 to ${MAX_KEY_LENGTH} characters is required`, { field: 'Idempotency-Key' });
  }
  const requestHash = hashRequest(request.body);
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = await db
      .selectFrom('idempotency_record')
      .select(['request_hash', 'response_status', 'response_body'])
      .where('scope', '=', request.scope)
      .where('key', '=', request.key)
      .executeTakeFirst();
    if (existing) {
      return replayedOutcome({ requestHash: existing.request_hash, status: existing.response_status, body: existing.response_body }, requestHash, request.key);
    }
    try {
      return await inTransaction(db, async (transaction) => {
        const result = await work(transaction);
        await transaction
          .insertInto('idempotency_record')
          .values({
            scope: request.scope,
            key: request.key,
            request_hash: requestHash,
            response_status: result.status,
            response_body: JSON.stringify(result.body),
          })
          .execute();
        return { outcome: 'created' as const, ...result };
      });
    } catch (error) {
      // A concurrent request with the same key committed first: read its result on the next pass.
      if (isUniqueViolation(error, 'idempotency_record_pk') && !db.isTransaction) continue;
      throw error;
    }
  }
  throw new LenityError('CONFLICT', 'The request could not be completed because of concurrent requests; retry');
}

/**
 * The first result for a key seen before, or IDEMPOTENCY_KEY_REUSED when the request differs.
 *
 * @example replayedOutcome(storedRecord, hashRequest(body), 'pay-1')
 */
export function replayedOutcome<T>(record: { requestHash: string; status: number; body: unknown }, requestHash: string, key: string): IdempotentOutcome<T> {
  if (record.requestHash !== requestHash) {
    throw new LenityError('IDEMPOTENCY_KEY_REUSED', `Idempotency-Key "${key}" was already used with a different request`, { field: 'Idempotency-Key' });
  }
  return { outcome: 'replayed', status: record.status, body: record.body as T };
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const details = error as { code?: string; constraint?: string };
  return details.code === '23505' && (constraint === undefined || details.constraint === constraint);
}
