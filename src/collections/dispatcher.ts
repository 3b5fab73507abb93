import type { ContactDecision } from '../compliance/evaluate-contact.ts';
import { historyEntryOf, type PastAttempt } from './case-contact.ts';
import type { ChannelKind } from './channels/message-channel.ts';

/**
 * The dispatcher's decisions, without I/O: how long to wait before another attempt, when a message
 * is dead, what the contact gate's answer means for a message, and the gate request at the moment of
 * sending. `dispatch.service.ts` applies them to the `outbound_message` table.
 */
export type MessageStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'dead' | 'denied';

export const MESSAGE_STATUSES: readonly MessageStatus[] = ['queued', 'sending', 'sent', 'failed', 'dead', 'denied'];

export interface DispatchPolicy {
  /** Messages claimed per batch. */
  batchSize: number;
  /** How long a claim holds: a message still `sending` after it is claimed again (its sender died). */
  leaseMs: number;
  /** The first retry's delay; each further retry doubles it. */
  baseDelayMs: number;
  maximumDelayMs: number;
  /** Attempts before a message is dead (listed by `listDeadLetters`). */
  maximumAttempts: number;
}

export const DEFAULT_DISPATCH_POLICY: DispatchPolicy = {
  batchSize: 50,
  leaseMs: 5 * 60_000,
  baseDelayMs: 30_000,
  maximumDelayMs: 6 * 3_600_000,
  maximumAttempts: 6,
};

// Upper bounds a configuration may not pass.
export const MAXIMUM_BATCH_SIZE = 500;
export const MAXIMUM_ATTEMPTS = 20;

/**
 * Checks a policy against the limits; throws a RangeError naming the field.
 *
 * @example validateDispatchPolicy({ ...DEFAULT_DISPATCH_POLICY, batchSize: 10 })
 */
export function validateDispatchPolicy(policy: DispatchPolicy): DispatchPolicy {
  const check = (field: keyof DispatchPolicy, min: number, max: number) => {
    const value = policy[field];
    if (!Number.isSafeInteger(value) || value < min || value > max) throw new RangeError(`${field} must be an integer from ${min} to ${max}, got ${value}`);
  };
  check('batchSize', 1, MAXIMUM_BATCH_SIZE);
  check('leaseMs', 1, 24 * 3_600_000);
  check('baseDelayMs', 0, 24 * 3_600_000);
  check('maximumDelayMs', policy.baseDelayMs, 7 * 24 * 3_600_000);
  check('maximumAttempts', 1, MAXIMUM_ATTEMPTS);
  return policy;
}

/**
 * The wait after the `attempts`-th failed attempt: base × 2^(attempts−1), capped.
 *
 * @example retryDelayMs(3, { baseDelayMs: 30_000, maximumDelayMs: 3_600_000 }) // 120000
 */
export function retryDelayMs(attempts: number, policy: Pick<DispatchPolicy, 'baseDelayMs' | 'maximumDelayMs'>): number {
  if (attempts < 1) return 0;
  const exponent = Math.min(attempts - 1, 30);
  return Math.min(policy.baseDelayMs * 2 ** exponent, policy.maximumDelayMs);
}

export type FailureOutcome = { status: 'failed'; nextAttemptAtMs: number } | { status: 'dead' };

/**
 * What a failed attempt leads to: another attempt after the backoff, or dead when the failure cannot
 * be helped by trying again or the attempts are used up.
 *
 * @example afterFailure({ attempts: 6, maximumAttempts: 6, retryable: true, nowMs: 0 }, DEFAULT_DISPATCH_POLICY) // { status: 'dead' }
 */
export function afterFailure(
  input: { attempts: number; maximumAttempts: number; retryable: boolean; nowMs: number },
  policy: Pick<DispatchPolicy, 'baseDelayMs' | 'maximumDelayMs'>,
): FailureOutcome {
  if (!input.retryable || input.attempts >= input.maximumAttempts) return { status: 'dead' };
  return { status: 'failed', nextAttemptAtMs: input.nowMs + retryDelayMs(input.attempts, policy) };
}

export type GateOutcome = { action: 'send' } | { action: 'reschedule'; atMs: number } | { action: 'deny' };

/**
 * What the gate's decision at the moment of sending means: send; wait until `allowAfter` (every
 * reason was about time); or stop for good (a reason waiting cannot cure: cease, opt-out, dispute…).
 *
 * @example gateOutcome({ decision: 'deny', allowAfter: '2026-03-10T13:00:00Z', … }) // { action: 'reschedule', atMs: 1773147600000 }
 */
export function gateOutcome(decision: Pick<ContactDecision, 'decision' | 'allowAfter'>): GateOutcome {
  if (decision.decision === 'allow') return { action: 'send' };
  if (decision.allowAfter !== null) return { action: 'reschedule', atMs: Date.parse(decision.allowAfter) };
  return { action: 'deny' };
}

/** The gate's channel for a message channel: a call task is judged as the call it leads to. */
export function gateChannelFor(channel: ChannelKind): 'sms' | 'email' | 'letter' | 'call' {
  return channel;
}

const MAXIMUM_HISTORY_ENTRIES = 5_000;

/**
 * The gate request for the moment of sending: the stored request (the contract's JSON without `at`),
 * its `at` set to now, and the borrower's contacts since (`recent`: agents' attempts, messages sent or
 * in flight) joined to its history so that frequency rules count them. A contact both hold (same
 * instant, channel and debts) is counted once, as `recent` has it: its outcome may have been logged
 * since. Of `recent`, the newest entries are kept.
 *
 * @example contactRequestAt({ policy: 'CN', attempt: { channel: 'sms', debtId: 'loan_1' } }, Date.parse('2026-03-10T02:00:00Z'), [])
 * // { policy: 'CN', at: '2026-03-10T02:00:00.000Z', attempt: { … }, history: [] }
 */
export function contactRequestAt(stored: Record<string, unknown>, atMs: number, recent: readonly PastAttempt[]): Record<string, unknown> {
  const storedHistory = Array.isArray(stored.history) ? (stored.history as unknown[]) : [];
  const added = recent.slice(-MAXIMUM_HISTORY_ENTRIES).map(historyEntryOf);
  const known = new Set(added.map((entry) => historyKey(Date.parse(entry.at), entry.channel, entry.debtIds)));
  const kept = storedHistory.filter((entry) => {
    const { at, channel, debtIds } = (entry ?? {}) as { at?: unknown; channel?: unknown; debtIds?: unknown };
    return !known.has(historyKey(typeof at === 'string' ? Date.parse(at) : Number.NaN, channel, debtIds));
  });
  return { ...stored, at: new Date(atMs).toISOString(), history: [...kept, ...added].slice(0, 10_000) };
}

function historyKey(atMs: number, channel: unknown, debtIds: unknown): string {
  return `${atMs}|${String(channel)}|${Array.isArray(debtIds) ? [...debtIds].map(String).sort().join(',') : ''}`;
}

/** What the borrower has told us by the time a queued message is sent (`borrower_contact_flags`). */
export interface CurrentContactFacts {
  flags: readonly string[];
  optOuts: readonly string[];
  inconvenient: readonly unknown[];
}

/**
 * A queued message's gate request with what the borrower said since it was queued: a cease request,
 * an opt-out or an inconvenient time stated after queueing must stop or defer the send. Lists are
 * joined, never replaced, so the request only ever gets stricter; `extraFlags` are flags of the
 * debt's own case (a `dispute` while its case is held).
 *
 * @example withCurrentContactFacts({ policy: 'CN', borrower: { flags: [] }, attempt }, { flags: ['cease'], optOuts: [], inconvenient: [] }, []).borrower.flags // ['cease']
 */
export function withCurrentContactFacts(stored: Record<string, unknown>, current: CurrentContactFacts | null, extraFlags: readonly string[]): Record<string, unknown> {
  if (current === null && extraFlags.length === 0) return stored;
  const borrower = (typeof stored.borrower === 'object' && stored.borrower !== null ? stored.borrower : {}) as Record<string, unknown>;
  const listOf = (key: string) => (Array.isArray(borrower[key]) ? (borrower[key] as unknown[]) : []);
  const union = (first: readonly unknown[], second: readonly unknown[]) => {
    const seen = new Map<string, unknown>();
    for (const item of [...first, ...second]) seen.set(JSON.stringify(item), item);
    return [...seen.values()];
  };
  return {
    ...stored,
    borrower: {
      ...borrower,
      flags: union(listOf('flags'), [...(current?.flags ?? []), ...extraFlags]),
      optOuts: union(listOf('optOuts'), current?.optOuts ?? []),
      inconvenient: union(listOf('inconvenient'), current?.inconvenient ?? []),
    },
  };
}
