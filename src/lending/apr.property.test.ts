import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Fixed, ONE, divideFixed, multiplyFixed, powerFixed } from '../shared/decimal.ts';
import { type CashFlows, periodicRateOfReturn } from './apr.ts';

// The convergence tolerance of apr.ts: 10^-24 of a unit period rate.
const TOLERANCE: Fixed = 10n ** 6n;

/**
 * The reference the fast search is held to: Newton's method started from half a bracketing rate,
 * with every discount factor recomputed from its powers and every step rounded half-even.
 */
function referencePeriodicRateOfReturn(flows: CashFlows): Fixed {
  const target = flows.amountFinancedMinor * ONE;
  let totalMinor = 0n;
  for (const payment of flows.payments) totalMinor += payment.amountMinor;
  if (totalMinor === flows.amountFinancedMinor) return 0n;
  if (totalMinor < flows.amountFinancedMinor) return referenceBisect(flows, -(ONE * 99n) / 100n, 0n);
  let high = ONE / 10n;
  while (referencePresentValue(flows, high) > target) {
    high *= 2n;
    if (high > 1000n * ONE) break;
  }
  let rate = high / 2n;
  for (let iteration = 0; iteration < 200; iteration++) {
    let value = 0n;
    let derivative = 0n;
    for (const payment of flows.payments) {
      const wholePeriods = payment.timeInPeriods / ONE;
      const fraction = payment.timeInPeriods % ONE;
      const factor = referenceDiscountFactor(rate, payment.timeInPeriods);
      const sensitivity = divideFixed(wholePeriods * ONE, ONE + rate) + divideFixed(fraction, ONE + multiplyFixed(fraction, rate));
      value += payment.amountMinor * factor;
      derivative -= payment.amountMinor * multiplyFixed(factor, sensitivity);
    }
    if (derivative === 0n) break;
    const step = divideFixed(value - target, derivative);
    const next = rate - step;
    if (next <= 0n || next > high) return referenceBisect(flows, 0n, high);
    rate = next;
    if ((step < 0n ? -step : step) <= TOLERANCE) return rate;
  }
  return referenceBisect(flows, 0n, high);
}

function referenceDiscountFactor(rate: Fixed, timeInPeriods: Fixed): Fixed {
  const growth = multiplyFixed(powerFixed(ONE + rate, Number(timeInPeriods / ONE)), ONE + multiplyFixed(timeInPeriods % ONE, rate));
  return divideFixed(ONE, growth > 0n ? growth : 1n);
}

function referencePresentValue(flows: CashFlows, rate: Fixed): Fixed {
  let value = 0n;
  for (const payment of flows.payments) value += payment.amountMinor * referenceDiscountFactor(rate, payment.timeInPeriods);
  return value;
}

function referenceBisect(flows: CashFlows, lowStart: Fixed, highStart: Fixed): Fixed {
  let low = lowStart;
  let high = highStart;
  const target = flows.amountFinancedMinor * ONE;
  for (let iteration = 0; iteration < 120 && high - low > TOLERANCE; iteration++) {
    const middle = (low + high) / 2n;
    if (referencePresentValue(flows, middle) > target) low = middle;
    else high = middle;
  }
  return (low + high) / 2n;
}

const distance = (a: bigint, b: bigint) => (a > b ? a - b : b - a);

/** A schedule's payments: the first after a whole or broken period, then one each period. */
const scheduleFlows = fc
  .record({
    amountFinancedMinor: fc.bigInt({ min: 1000n, max: 100_000_000n }),
    firstTimeThousandths: fc.integer({ min: 1, max: 2000 }),
    // Each payment as a share of an even split of the amount financed, in percent.
    sharesPercent: fc.array(fc.integer({ min: 60, max: 250 }), { minLength: 1, maxLength: 72 }),
  })
  .map(({ amountFinancedMinor, firstTimeThousandths, sharesPercent }): CashFlows => {
    const firstTime = (BigInt(firstTimeThousandths) * ONE) / 1000n;
    const evenShareMinor = amountFinancedMinor / BigInt(sharesPercent.length);
    return {
      amountFinancedMinor,
      payments: sharesPercent.map((share, index) => ({ amountMinor: (evenShareMinor * BigInt(share)) / 100n, timeInPeriods: firstTime + BigInt(index) * ONE })),
      periodsPerYear: 12n * ONE,
    };
  });

/** Payments at any increasing times, each with its own fraction of a period, repaying 50% to 300%. */
const irregularFlows = fc
  .record({
    amountFinancedMinor: fc.bigInt({ min: 1000n, max: 100_000_000n }),
    payments: fc.array(fc.record({ sharePercent: fc.integer({ min: 50, max: 300 }), gapThousandths: fc.integer({ min: 1, max: 3000 }) }), { minLength: 1, maxLength: 40 }),
  })
  .map(({ amountFinancedMinor, payments }): CashFlows => {
    let time = 0n;
    const evenShareMinor = amountFinancedMinor / BigInt(payments.length);
    return {
      amountFinancedMinor,
      payments: payments.map(({ sharePercent, gapThousandths }) => {
        time += (BigInt(gapThousandths) * ONE) / 1000n;
        return { amountMinor: (evenShareMinor * BigInt(sharePercent)) / 100n, timeInPeriods: time };
      }),
      periodsPerYear: 12n * ONE,
    };
  });

// The reference brackets the rate below 1000 a period and returns its bracket above that; a
// thousandth of a period that triples the money is such a rate, and no credit has one.
const REFERENCE_LIMIT: Fixed = 100n * ONE;

// A starting rate from nothing up to 20% a period, or none.
const startingRates = fc.option(fc.integer({ min: 1, max: 200_000 }).map((millionths) => (BigInt(millionths) * ONE) / 1_000_000n), { nil: undefined });

describe('periodicRateOfReturn against the reference search', () => {
  it('agrees to within the tolerance on schedules, from any starting rate', () => {
    fc.assert(
      fc.property(scheduleFlows, startingRates, (flows, startingRate) => {
        expect(distance(periodicRateOfReturn(flows, startingRate), referencePeriodicRateOfReturn(flows))).toBeLessThanOrEqual(TOLERANCE);
      }),
      { numRuns: 200 },
    );
  });

  it('agrees to within the tolerance on payments at irregular times, negative rates included', () => {
    fc.assert(
      fc.property(irregularFlows, startingRates, (flows, startingRate) => {
        const reference = referencePeriodicRateOfReturn(flows);
        fc.pre(reference < REFERENCE_LIMIT);
        expect(distance(periodicRateOfReturn(flows, startingRate), reference)).toBeLessThanOrEqual(TOLERANCE);
      }),
      { numRuns: 200 },
    );
  });
});
