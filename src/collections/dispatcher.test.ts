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

  it('sets the instant and adds sent messages to the history', () => {
    const request = contactRequestAt({ policy: 'CN', attempt: { channel: 'sms', debtId: 'A' }, history: [] }, Date.parse('2026-03-10T02:00:00Z'), [{ sentAtMs: Date.parse('2026-03-09T02:00:00Z'), channel: 'sms', debtId: 'A' }]);
    expect(request.at).toBe('2026-03-10T02:00:00.000Z');
    expect(request.history).toEqual([{ at: '2026-03-09T02:00:00.000Z', channel: 'sms', debtIds: ['A'], to: 'borrower', place: 'mobile', outcome: 'delivered' }]);
  });

  it('refuses a policy beyond its limits', () => {
    expect(() => validateDispatchPolicy({ ...DEFAULT_DISPATCH_POLICY, batchSize: 501 })).toThrow(/batchSize/);
    expect(() => validateDispatchPolicy({ ...DEFAULT_DISPATCH_POLICY, maximumAttempts: 0 })).toThrow(/maximumAttempts/);
  });
});
