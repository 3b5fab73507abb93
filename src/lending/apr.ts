import { type Fixed, ONE, divideFixed, divideFixedTruncated, multiplyFixed, multiplyFixedTruncated, powerFixed } from '../shared/decimal.ts';
import { assert } from '../shared/errors.ts';

/**
 * Annual percentage rate by the actuarial method (as in US Regulation Z, Appendix J): the rate per
 * unit period that discounts the payments to the amount financed, times the unit periods in a year.
 * Everything is `Fixed` bigint arithmetic; binary floating point never enters a rate.
 */

/** A payment `timeInPeriods` unit periods after the advance (a `Fixed`: 1.5 is one and a half periods). */
export interface DatedPayment {
  amountMinor: bigint;
  timeInPeriods: Fixed;
}

export interface CashFlows {
  /** The advance net of upfront fees: what the borrower really receives. */
  amountFinancedMinor: bigint;
  payments: readonly DatedPayment[];
  /** Unit periods in a year (12 for monthly, 365/7 for weekly on a 365-day year). */
  periodsPerYear: Fixed;
}

const MAX_ITERATIONS = 200;
// Convergence well below the 2-place rate shown and the cent: 10^-24 of a unit period rate.
const TOLERANCE: Fixed = 10n ** 6n;

/**
 * The internal rate of return per unit period (a fraction), by Newton's method with a bisection
 * fallback. A payment at t = q + f (whole q, fraction f) is discounted by 1/((1 + f·i)(1 + i)^q).
 *
 * `startingRate` is where Newton's method starts, when the caller knows a rate close to the answer
 * (a loan's nominal period rate); without it, it starts from a first estimate of its own. The
 * answer is the same either way to within the tolerance; a close start only takes fewer steps.
 *
 * @example periodicRateOfReturn({ amountFinancedMinor: 10000n, payments: [{ amountMinor: 10100n, timeInPeriods: ONE }], periodsPerYear: 12n * ONE }) // 0.01 as Fixed
 */
export function periodicRateOfReturn(flows: CashFlows, startingRate?: Fixed): Fixed {
  assert(flows.amountFinancedMinor > 0n, 'the amount financed must be positive');
  let totalMinor = 0n;
  for (const payment of flows.payments) totalMinor += payment.amountMinor;
  // Payments that only repay the amount financed cost nothing: the rate is exactly zero.
  if (totalMinor === flows.amountFinancedMinor) return 0n;
  if (totalMinor < flows.amountFinancedMinor) {
    // No charge for credit (or a loss): the rate is not positive; bisection on [-0.99, 0] finds it.
    return bisect(flows, -(ONE * 99n) / 100n, 0n);
  }
  // Present value falls as the rate rises, and is convex in it: from below the root Newton's method
  // climbs to it without overshooting, and from above its first step lands below the root. A step
  // that leaves the positive rates, or no convergence, falls back to bisection.
  const target = fixedMinor(flows.amountFinancedMinor);
  const payments = splitPayments(flows);
  const callerStarts = startingRate !== undefined && startingRate > 0n;
  let rate = callerStarts ? startingRate : firstEstimate(flows, totalMinor);
  let startedAgain = !callerStarts;
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    const { value, derivativeScaledTwice } = presentValueAndDerivative(payments, rate);
    if (derivativeScaledTwice >= 0n) break;
    // (value − target) / derivative, the derivative carrying one factor ONE more than the value.
    const step = divideFixedTruncated((value - target) * ONE, derivativeScaledTwice);
    rate -= step;
    if (rate <= 0n) {
      // A starting rate far above the root overshoots below zero: start again from the estimate.
      if (startedAgain) break;
      startedAgain = true;
      rate = firstEstimate(flows, totalMinor);
      continue;
    }
    if ((step < 0n ? -step : step) <= TOLERANCE) return rate;
  }
  return bisect(flows, 0n, bisectionUpperBound(flows));
}

/**
 * The annual percentage rate in percent: the period rate of return × periods per year × 100.
 * `startingPeriodRate` is passed on to `periodicRateOfReturn` as where its search starts.
 *
 * @example formatFixed(annualPercentageRate(flows), 2) // "12.00"
 */
export function annualPercentageRate(flows: CashFlows, startingPeriodRate?: Fixed): Fixed {
  return multiplyFixed(periodicRateOfReturn(flows, startingPeriodRate), flows.periodsPerYear) * 100n;
}

/**
 * The effective annual rate (a fraction) of a rate per period: (1 + rate)^periodsPerYear − 1, with a
 * fractional number of periods handled through exp and ln in `Fixed`.
 *
 * @example formatFixed(effectiveAnnualRate(ONE / 100n, 12n * ONE) * 100n, 2) // "12.68"
 */
export function effectiveAnnualRate(periodRate: Fixed, periodsPerYear: Fixed): Fixed {
  const base = ONE + periodRate;
  assert(base > 0n, 'a period rate must be above -100%');
  if (periodsPerYear % ONE === 0n) return powerFixed(base, Number(periodsPerYear / ONE)) - ONE;
  return exponentialFixed(multiplyFixed(naturalLogarithmFixed(base), periodsPerYear)) - ONE;
}

/** ln(x) for x > 0 through ln(x) = 2·atanh((x − 1)/(x + 1)), after halving x towards 1. */
export function naturalLogarithmFixed(value: Fixed): Fixed {
  assert(value > 0n, 'the logarithm needs a positive argument');
  let reduced = value;
  let powersOfTwo = 0n;
  while (reduced > 2n * ONE) {
    reduced /= 2n;
    powersOfTwo += 1n;
  }
  while (reduced < ONE / 2n) {
    reduced *= 2n;
    powersOfTwo -= 1n;
  }
  const z = divideFixed(reduced - ONE, reduced + ONE);
  const zSquared = multiplyFixed(z, z);
  let term = z;
  let sum = 0n;
  for (let k = 1n; term !== 0n; k += 2n) {
    sum += term / k;
    term = multiplyFixed(term, zSquared);
  }
  return 2n * sum + powersOfTwo * LN_2;
}

/** e^x by halving x until it is small, a Taylor series, then squaring back. */
export function exponentialFixed(value: Fixed): Fixed {
  let reduced = value;
  let halvings = 0;
  while ((reduced < 0n ? -reduced : reduced) > ONE / 16n) {
    reduced /= 2n;
    halvings++;
  }
  let term = ONE;
  let sum = ONE;
  for (let k = 1n; term !== 0n; k++) {
    term = multiplyFixed(term, reduced) / k;
    sum += term;
  }
  for (let index = 0; index < halvings; index++) sum = multiplyFixed(sum, sum);
  return sum;
}

// ln 2 to 40 places, rounded to the fixed scale.
const LN_2: Fixed = (6931471805599453094172321214581765680755n * ONE) / 10n ** 40n;

function fixedMinor(amountMinor: bigint): Fixed {
  return amountMinor * ONE;
}

/**
 * Newton's step from a rate of zero, where the present value is the sum of the payments and its
 * slope minus the sum of amount × time: no powers to compute, and it lands below the root.
 */
function firstEstimate(flows: CashFlows, totalMinor: bigint): Fixed {
  let weightedTime = 0n;
  for (const payment of flows.payments) weightedTime += payment.amountMinor * payment.timeInPeriods;
  return weightedTime > 0n ? divideFixedTruncated(fixedMinor(totalMinor - flows.amountFinancedMinor), weightedTime) : 0n;
}

/** A rate whose present value is at most the amount financed: doubling from 10% a period. */
function bisectionUpperBound(flows: CashFlows): Fixed {
  const payments = splitPayments(flows);
  let high = ONE / 10n;
  while (presentValueAndDerivative(payments, high).value > fixedMinor(flows.amountFinancedMinor)) {
    high *= 2n;
    if (high > 1000n * ONE) break;
  }
  return high;
}

/** A payment with its time split into whole periods q and a fraction f of one. */
interface SplitPayment {
  amountMinor: bigint;
  wholePeriods: bigint;
  fraction: Fixed;
}

function splitPayments(flows: CashFlows): SplitPayment[] {
  return flows.payments.map((payment) => ({ amountMinor: payment.amountMinor, wholePeriods: payment.timeInPeriods / ONE, fraction: payment.timeInPeriods % ONE }));
}

/**
 * The present value of the payments at `rate` (minor units × ONE) and its derivative by the rate
 * (minor units × ONE × ONE: summed before it is scaled down, which costs a division per payment
 * otherwise). Payments come in time order in practice, so (1 + i)^-q is carried from one payment
 * to the next (one multiplication for the next whole period) and 1/(1 + f·i) is kept while the
 * fraction f repeats, as it does for every payment of a schedule.
 */
function presentValueAndDerivative(payments: readonly SplitPayment[], rate: Fixed): { value: Fixed; derivativeScaledTwice: bigint } {
  const periodDiscount = divideFixedTruncated(ONE, ONE + rate);
  let wholePeriods = 0n;
  let wholeDiscount = ONE;
  let fraction = 0n;
  let fractionDiscount = ONE;
  let value = 0n;
  let derivativeScaledTwice = 0n;
  for (const payment of payments) {
    if (payment.wholePeriods !== wholePeriods) {
      wholeDiscount = payment.wholePeriods > wholePeriods
        ? multiplyFixedTruncated(wholeDiscount, powerTruncated(periodDiscount, payment.wholePeriods - wholePeriods))
        : powerTruncated(periodDiscount, payment.wholePeriods);
      wholePeriods = payment.wholePeriods;
    }
    // d/di of 1/((1+fi)(1+i)^q) = −factor · (q/(1+i) + f/(1+fi))
    let factor = wholeDiscount;
    let sensitivity = wholePeriods * periodDiscount;
    if (payment.fraction !== 0n) {
      if (payment.fraction !== fraction) {
        fraction = payment.fraction;
        fractionDiscount = divideFixedTruncated(ONE, ONE + multiplyFixedTruncated(fraction, rate));
      }
      factor = multiplyFixedTruncated(wholeDiscount, fractionDiscount);
      sensitivity += multiplyFixedTruncated(fraction, fractionDiscount);
    }
    const weightedFactor = payment.amountMinor * factor;
    value += weightedFactor;
    derivativeScaledTwice -= weightedFactor * sensitivity;
  }
  return { value, derivativeScaledTwice };
}

/** base^exponent by squaring, for a whole exponent; one below zero gives one, as `powerFixed` does. */
function powerTruncated(base: Fixed, exponent: bigint): Fixed {
  if (exponent === 1n) return base;
  let result = ONE;
  let factor = base;
  let remaining = exponent;
  while (remaining > 0n) {
    if (remaining & 1n) result = multiplyFixedTruncated(result, factor);
    remaining >>= 1n;
    if (remaining > 0n) factor = multiplyFixedTruncated(factor, factor);
  }
  return result;
}

function bisect(flows: CashFlows, lowStart: Fixed, highStart: Fixed): Fixed {
  const payments = splitPayments(flows);
  let low = lowStart;
  let high = highStart;
  const target = fixedMinor(flows.amountFinancedMinor);
  for (let iteration = 0; iteration < 120 && high - low > TOLERANCE; iteration++) {
    const middle = (low + high) / 2n;
    if (presentValueAndDerivative(payments, middle).value > target) low = middle;
    else high = middle;
  }
  return (low + high) / 2n;
}
