import { describe, expect, it } from 'vitest';
import { afterFailure, contactRequestAt, DEFAULT_DISPATCH_POLICY, gateOutcome, retryDelayMs, validateDispatchPolicy } from './dispatcher.ts';

describe('dispatcher decisions', () => {
  const policy = { baseDelayMs: 30_000, maximumDelayMs: 3_600_000 };
  it.each([[1, 30_000], [2, 60_000], [3, 120_000], [7, 1_920_000], [8, 3_600_000], [40, 3_600_000]])('attempt %i waits %i ms', (attempts, delay) => {
    expect(retryDelayMs(attempts, policy)).toBe(delay);
  });

  it.each([
    ['retryable, attempts left', { attempts: 2, maximumAttempts: 6, retryable: true, nowMs: 0 }, { status: 'failed', nextAttemptAtMs: 60_000 }],
    ['retryable, last attempt', { attempts: 6, maximumAttempts: 6, retryable: true, nowMs: 0 }, { status: 'dead' }],
    ['not retryable', { attempts: 1, maximumAttempts: 6, retryable: false, nowMs: 0 }, { status: 'dead' }],
  ] as const)('%s', (_, input, expected) => {
    expect(afterFailure(input, policy)).toEqual(expected);
  });

  it('reads the gate', () => {
    expect(gateOutcome({ decision: 'allow', allowAfter: null })).toEqual({ action: 'send' });
    expect(gateOutcome({ decision: 'deny', allowAfter: '2026-03-11T00:00:00Z' })).toEqual({ action: 'reschedule', atMs: Date.parse('2026-03-11T00:00:00Z') });
    expect(gateOutcome({ decision: 'deny', allowAfter: null })).toEqual({ action: 'deny' });
  });

  it('sets the instant and joins the contacts since to the history', () => {
    const request = contactRequestAt({ policy: 'CN', attempt: { channel: 'sms', debtId: 'A' }, history: [] }, Date.parse('2026-03-10T02:00:00Z'), [
      { at: new Date('2026-03-09T02:00:00Z'), channel: 'sms', outcome: 'delivered', loanId: 'A' },
      { at: new Date('2026-03-09T03:00:00Z'), channel: 'call', outcome: null, loanId: 'A' },
      { at: new Date('2026-03-09T04:00:00Z'), channel: 'call', outcome: 'promise', loanId: 'B' },
    ]);
    expect(request.at).toBe('2026-03-10T02:00:00.000Z');
    expect(request.history).toEqual([
      { at: '2026-03-09T02:00:00.000Z', channel: 'sms', debtIds: ['A'], outcome: 'delivered' },
      // An attempt without a logged outcome counts as unanswered; a promise was a conversation.
      { at: '2026-03-09T03:00:00.000Z', channel: 'call', debtIds: ['A'], outcome: 'no-answer' },
      { at: '2026-03-09T04:00:00.000Z', channel: 'call', debtIds: ['B'], outcome: 'conversation' },
    ]);
  });

  it('counts once a contact the stored history already holds, with the outcome logged since', () => {
    const stored = { policy: 'US-MA', attempt: { channel: 'sms', debtId: 'A' }, history: [
      { at: '2026-03-08T15:00:00Z', channel: 'call', debtIds: ['A'], to: 'borrower', outcome: 'no-answer' },
      { at: '2026-03-09T15:00:00Z', channel: 'call', debtIds: ['A'], to: 'borrower', outcome: 'no-answer' },
    ] };
    const request = contactRequestAt(stored, Date.parse('2026-03-10T15:00:00Z'), [
      { at: new Date('2026-03-09T15:00:00Z'), channel: 'call', outcome: 'promise', loanId: 'A' },
      { at: new Date('2026-03-10T14:00:00Z'), channel: 'sms', outcome: 'delivered', loanId: 'A' },
    ]);
    expect(request.history).toEqual([
      stored.history[0],
      { at: '2026-03-09T15:00:00.000Z', channel: 'call', debtIds: ['A'], outcome: 'conversation' },
      { at: '2026-03-10T14:00:00.000Z', channel: 'sms', debtIds: ['A'], outcome: 'delivered' },
    ]);
  });

  it('refuses a policy beyond its limits', () => {
    expect(() => validateDispatchPolicy({ ...DEFAULT_DISPATCH_POLICY, batchSize: 501 })).toThrow(/batchSize/);
    expect(() => validateDispatchPolicy({ ...DEFAULT_DISPATCH_POLICY, maximumAttempts: 0 })).toThrow(/maximumAttempts/);
  });
});
