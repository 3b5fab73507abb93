import { describe, expect, it } from 'vitest';
import { parseContactRequest } from './contact-request.ts';

const MINIMAL = { policy: 'US', at: '2026-03-09T14:30:00Z', attempt: { channel: 'call', debtId: 'A' } };

describe('parseContactRequest', () => {
  it('fills the contract defaults', () => {
    const request = parseContactRequest(MINIMAL);
    expect(request.borrower).toEqual({ timeZones: [], flags: [], inconvenient: [], optOuts: [], consents: [], reachable: true });
    expect(request.attempt).toEqual({ channel: 'call', debtId: 'A', to: 'borrower', thirdPartyId: null, place: 'mobile', dialer: 'manual', disclosesDebt: true, collectors: 1, approved: false });
    expect(request.history).toEqual([]);
  });

  it.each([
    [{ ...MINIMAL, extra: 1 }, 'UNKNOWN_FIELD', 'extra'],
    [{ ...MINIMAL, borrower: { timeZones: ['America/Chicago'], mood: 'x' } }, 'UNKNOWN_FIELD', 'borrower.mood'],
    [{ ...MINIMAL, history: [{ at: '2026-03-08T15:00:00Z', channel: 'call', result: 'x' }] }, 'UNKNOWN_FIELD', 'history.0.result'],
    [{ ...MINIMAL, policy: 'FR' }, 'VALIDATION_FAILED', 'policy'],
    [{ ...MINIMAL, at: '2026-03-09' }, 'VALIDATION_FAILED', 'at'],
    [{ ...MINIMAL, borrower: { timeZones: ['Mars/Base'] } }, 'VALIDATION_FAILED', 'borrower.timeZones.0'],
    [{ ...MINIMAL, borrower: { flags: ['angry'] } }, 'VALIDATION_FAILED', 'borrower.flags.0'],
    [{ ...MINIMAL, borrower: { inconvenient: [{ from: '25:00', to: '10:00' }] } }, 'VALIDATION_FAILED', 'borrower.inconvenient.0.from'],
    [{ ...MINIMAL, borrower: { inconvenient: [{ from: '10:00' }] } }, 'VALIDATION_FAILED', 'borrower.inconvenient.0.to'],
    [{ ...MINIMAL, borrower: { consents: [{ kind: 'psychic', at: '2026-01-01T00:00:00Z' }] } }, 'VALIDATION_FAILED', 'borrower.consents.0.kind'],
    [{ ...MINIMAL, borrower: { reachable: 'yes' } }, 'VALIDATION_FAILED', 'borrower.reachable'],
    [{ ...MINIMAL, attempt: { channel: 'call' } }, 'VALIDATION_FAILED', 'attempt.debtId'],
    [{ ...MINIMAL, attempt: { channel: 'call', debtId: 'A', collectors: 0 } }, 'VALIDATION_FAILED', 'attempt.collectors'],
    [{ ...MINIMAL, attempt: { channel: 'call', debtId: 'A', to: 'third-party' } }, 'VALIDATION_FAILED', 'attempt.thirdPartyId'],
    [{ ...MINIMAL, history: [{ at: 'yesterday', channel: 'call' }] }, 'VALIDATION_FAILED', 'history.0.at'],
    [{ ...MINIMAL, history: [{ at: '2026-03-08T15:00:00Z', channel: 'call', outcome: 'maybe' }] }, 'VALIDATION_FAILED', 'history.0.outcome'],
    [{ policy: 'US', at: '2026-03-09T14:30:00Z' }, 'VALIDATION_FAILED', 'attempt'],
    [[], 'VALIDATION_FAILED', '(root)'],
  ])('refuses %j with %s naming %s', (input, code, field) => {
    expect(() => parseContactRequest(input)).toThrow();
    try {
      parseContactRequest(input);
    } catch (error) {
      expect(error).toMatchObject({ code, details: { field } });
    }
  });
});
