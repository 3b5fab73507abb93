import { describe, expect, it } from 'vitest';
import type { BusinessDate } from '../shared/business-date.ts';
import { createRandom } from '../shared/random.ts';
import { PROFILE_SHARES, behaviourOf, planPayment, seedFor } from './payment-simulator.ts';

describe('payment simulator', () => {
  it('draws the same behaviour and plan for the same seed and loan', () => {
    const behaviour = behaviourOf(createRandom(seedFor(7, 'loan_A')));
    expect(behaviourOf(createRandom(seedFor(7, 'loan_A')))).toEqual(behaviour);
    const plan = planPayment(behaviour, 1, '2026-03-09' as BusinessDate, createRandom(seedFor(7, 'loan_A/2026-03-09')));
    expect(planPayment(behaviour, 1, '2026-03-09' as BusinessDate, createRandom(seedFor(7, 'loan_A/2026-03-09')))).toEqual(plan);
  });

  it('spreads a book over the profiles in about their shares', () => {
    const counts = new Map<string, number>();
    for (let index = 0; index < 20_000; index++) {
      const { profile } = behaviourOf(createRandom(seedFor(11, `loan_${index}`)));
      counts.set(profile, (counts.get(profile) ?? 0) + 1);
    }
    for (const [profile, share] of PROFILE_SHARES) expect(Math.abs((counts.get(profile) ?? 0) / 200 - share)).toBeLessThan(1.5);
  });

  it('lets a defaulting borrower pay the first installments only', () => {
    const behaviour = { profile: 'default' as const, installmentsPaidBeforeDefault: 1 };
    expect(planPayment(behaviour, 1, '2026-03-09' as BusinessDate, createRandom(1)).payOn).toBe('2026-03-09');
    expect(planPayment(behaviour, 2, '2026-04-09' as BusinessDate, createRandom(1)).payOn).toBeNull();
  });
});
