import { createIdGenerator } from '../../src/shared/ids.ts';
import { createRandom } from '../../src/shared/random.ts';
import { createTestClock } from '../../src/shared/clock.ts';

/** A monthly declining-balance product in CNY, capped at 24% APR (China's judicial protection line). */
export function personalLoanProduct(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Personal loan 12 months',
    terms: { currency: 'CNY', annualRate: '18', numberOfRepayments: 12, roundingMode: 'half-even' },
    principalRange: { min: '1000.00', max: '50000.00' },
    repaymentsRange: { min: 6, max: 24 },
    originationFee: { percent: '1' },
    allocation: 'penalties-fees-interest-principal',
    prepayment: 'reduce-term',
    earlyPayoffInterest: 'accrued',
    rateCap: '24',
    ...overrides,
  };
}

export function borrowerInput(overrides: Record<string, unknown> = {}) {
  return {
    fullName: '王小明',
    nationalId: '110101199003071234',
    jurisdiction: 'CN',
    language: 'zh-CN',
    timeZone: 'Asia/Shanghai',
    phones: [{ number: '+8613800138000', kind: 'mobile' }],
    emails: [{ address: 'xiaoming@example.cn' }],
    ...overrides,
  };
}

export function testDependencies(seed = 1, start = '2026-01-05T02:00:00Z') {
  const clock = createTestClock(start);
  const random = createRandom(seed);
  return { clock, random, ids: createIdGenerator(clock, random) };
}
