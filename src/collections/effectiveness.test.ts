import { describe, expect, it } from 'vitest';
import type { BusinessDate } from '../shared/business-date.ts';
import { effectiveness, ratio, type Touch } from './effectiveness.ts';

const day = (text: string) => text as BusinessDate;
const touch = (overrides: Partial<Touch>): Touch => ({
  caseId: 'case_1', loanId: 'loan_1', on: day('2026-03-01'), channel: 'sms', rung: 'sms-dpd-1', arm: 'champion', agent: null, delivered: true, rightParty: false, ...overrides,
});

describe('collections effectiveness', () => {
  it('credits promises, cures and money to the last touch before them, within 7 and 30 days', () => {
    const rows = effectiveness(
      [touch({}), touch({ on: day('2026-03-05'), channel: 'call', rung: null, agent: 'agent_1', rightParty: true }), touch({ caseId: 'case_2', loanId: 'loan_2', delivered: false })],
      [{ caseId: 'case_1', loanId: 'loan_1', madeOn: day('2026-03-05'), status: 'kept' }],
      [
        { loanId: 'loan_1', paidOn: day('2026-03-03'), amountMinor: 1000n, currency: 'CNY' },
        { loanId: 'loan_1', paidOn: day('2026-03-20'), amountMinor: 5000n, currency: 'CNY' },
        { loanId: 'loan_2', paidOn: day('2026-05-01'), amountMinor: 9000n, currency: 'CNY' },
      ],
      [{ caseId: 'case_1', loanId: 'loan_1', curedOn: day('2026-03-20') }],
    );
    const sms = rows.find((row) => row.dimension === 'channel' && row.value === 'sms')!;
    expect(sms).toMatchObject({ attempts: 2, deliveries: 1, promises: 0, casesTouched: 2, cures: 0, cureRate: '0.0000' });
    // The 03-03 payment followed the SMS by 2 days; the one of 05-01 came too late to count.
    expect(sms.recoveredWithin7DaysMinor).toEqual({ CNY: 1000n });
    const agent = rows.find((row) => row.dimension === 'agent' && row.value === 'agent_1')!;
    expect(agent).toMatchObject({ attempts: 1, rightPartyContacts: 1, promises: 1, promisesKept: 1, keptRate: '1.0000', cures: 1, cureRate: '1.0000' });
    // 15 days after the call: within 30 days, not within 7.
    expect(agent.recoveredWithin7DaysMinor).toEqual({});
    expect(agent.recoveredWithin30DaysMinor).toEqual({ CNY: 5000n });
    expect(rows.map((row) => row.dimension)).toEqual(['channel', 'channel', 'rung', 'rung', 'arm', 'agent', 'agent']);
  });

  it('shares each payment equally among every touch in the window before it (even split), to the minor unit', () => {
    const rows = effectiveness(
      [
        touch({ on: day('2026-03-01') }),
        touch({ on: day('2026-03-04'), channel: 'call', rung: null, agent: 'agent_1' }),
        touch({ on: day('2026-03-06'), channel: 'email', rung: 'email-dpd-5' }),
      ],
      [],
      [{ loanId: 'loan_1', paidOn: day('2026-03-10'), amountMinor: 1000n, currency: 'CNY' }],
      [],
    );
    const channel = (value: string) => rows.find((row) => row.dimension === 'channel' && row.value === value)!;
    // 30-day window: three touches share 1000 as 334 + 333 + 333, the odd unit to the oldest.
    expect(channel('sms').evenSplitRecoveredWithin30DaysMinor).toEqual({ CNY: 334n });
    expect(channel('call').evenSplitRecoveredWithin30DaysMinor).toEqual({ CNY: 333n });
    expect(channel('email').evenSplitRecoveredWithin30DaysMinor).toEqual({ CNY: 333n });
    // 7-day window: the SMS of 03-01 is 9 days before; the call and the e-mail share 500 each.
    expect(channel('sms').evenSplitRecoveredWithin7DaysMinor).toEqual({});
    expect(channel('call').evenSplitRecoveredWithin7DaysMinor).toEqual({ CNY: 500n });
    expect(channel('email').evenSplitRecoveredWithin7DaysMinor).toEqual({ CNY: 500n });
    // Last touch gives it all to the e-mail.
    expect(channel('email').recoveredWithin30DaysMinor).toEqual({ CNY: 1000n });
    const shared = rows.filter((row) => row.dimension === 'channel').reduce((total, row) => total + (row.evenSplitRecoveredWithin30DaysMinor.CNY ?? 0n), 0n);
    expect(shared).toBe(1000n);
  });

  it('writes ratios with four decimals, rounded down, from integers', () => {
    expect(ratio(2, 3)).toBe('0.6666');
    expect(ratio(0, 0)).toBeNull();
    expect(ratio(7, 7)).toBe('1.0000');
  });
});
