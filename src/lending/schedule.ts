import {
  type BusinessDate, daysInMonth, epochDayFromParts, formatDateParts, isLeapYear, partsFromEpochDay, toEpochDay,
} from '../shared/business-date.ts';
import type { CurrencyCode } from '../shared/currency.ts';
import { type Fixed, ONE, formatFixed, multiplyFixed, divideFixed } from '../shared/decimal.ts';
import { assert, validationError } from '../shared/errors.ts';
import { formatMoney } from '../shared/money.ts';
import { type RoundingMode, divideRounded, roundToMultiple } from '../shared/rounding.ts';
import { type CashFlows, type DatedPayment, effectiveAnnualRate, periodicRateOfReturn } from './apr.ts';
import type { ProductScheduleTerms, ScheduleTerms } from './schedule-terms.ts';

/** One row of a repayment schedule; money in minor units of the schedule's currency. */
export interface Installment {
  number: number;
  fromDate: BusinessDate;
  dueDate: BusinessDate;
  /** Calendar days from `fromDate` to `dueDate`. */
  days: number;
  principalMinor: bigint;
  interestMinor: bigint;
  totalMinor: bigint;
  /** Principal still outstanding after this installment. */
  balanceMinor: bigint;
}

export interface Schedule {
  installments: Installment[];
  totalPrincipalMinor: bigint;
  totalInterestMinor: bigint;
  totalMinor: bigint;
  /** Annual percentage rate, actuarial method, percent with 2 places ("12.00"). */
  aprPercent: string;
  /** Effective annual rate, percent with 2 places ("12.68"). */
  effectiveRatePercent: string;
}

const HUNDRED_ONE = 100n * ONE;

/**
 * The periods of a schedule as epoch days, with each period's interest rate as an exact fraction:
 * interest = balance × rateNumerator / rateDenominator. Built once; the amortisation loop only
 * multiplies and divides bigints.
 */
interface PeriodPlan {
  count: number;
  fromDays: number[];
  dueDays: number[];
  /**
   * The dates formatted once: `dates[0]` is the first period's start, `dates[index + 1]` the due date
   * of period `index` (which is also the start of the next period).
   */
  dates: BusinessDate[];
  rateNumerators: bigint[];
  rateDenominators: bigint[];
  /** Each period's rate as a `Fixed` fraction, for the installment formula. */
  emiRates: Fixed[];
  /** The installment formula's Π(1+rᵢ) and f for a number of grace periods, computed on first use. */
  installmentFactors: Map<number, InstallmentFactors>;
  /** APR and effective rate at the nominal period rate, computed on first use (the plan fixes both). */
  nominalRates: ScheduleRates | null;
}

interface InstallmentFactors {
  product: Fixed;
  fn: Fixed;
}

/**
 * A small bounded cache that keeps the recently used entries. Lenders run many loans on the same
 * product and dates (a batch of disbursements on one day, previews while a borrower changes the
 * amount), so the parts of a schedule that do not depend on the amount are computed once per distinct
 * set of terms; the bound keeps a stream of distinct terms from growing memory.
 *
 * Two generations instead of a strict recency list: a hit in the current generation is one Map
 * lookup, with no reordering on the hot path; an entry found in the previous generation moves to the
 * current one; when the current generation is full it becomes the previous one and the old previous
 * generation (the least recently used entries) is dropped. At most `capacity` entries are held.
 */
class RecentlyUsedCache<Key, Value> {
  private current = new Map<Key, Value>();
  private previous = new Map<Key, Value>();
  private readonly generationSize: number;

  constructor(capacity: number) {
    this.generationSize = Math.max(1, Math.floor(capacity / 2));
  }

  get(key: Key): Value | undefined {
    const value = this.current.get(key);
    if (value !== undefined) return value;
    const older = this.previous.get(key);
    if (older !== undefined) {
      this.previous.delete(key);
      this.set(key, older);
    }
    return older;
  }

  set(key: Key, value: Value): void {
    if (this.current.size >= this.generationSize) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, value);
  }
}

// At most 256 plans of at most 360 periods (thirty years of monthly payments) are kept, a few
// megabytes at worst; longer plans are rare and cheap relative to their own size, so they are not kept.
const PERIOD_PLAN_CACHE_SIZE = 256;
const MAX_CACHED_PLAN_PERIODS = 360;
const RATE_CACHE_SIZE = 256;
const periodPlanCache = new RecentlyUsedCache<number, CachedPlan>(PERIOD_PLAN_CACHE_SIZE);
const nominalRatesCache = new RecentlyUsedCache<string, ScheduleRates>(RATE_CACHE_SIZE);

/**
 * Each distinct annual rate gets a short number for the plan cache key, so a lookup does not format a
 * 30-place bigint. Numbers are never reused: when this map is emptied (it is bounded too), a rate seen
 * again gets a new number and its old plans simply age out of the cache.
 */
const rateKeys = new Map<Fixed, number>();
const RATE_KEYS_LIMIT = 4096;
let nextRateKey = 0;

function rateKey(annualRatePercent: Fixed): number {
  let key = rateKeys.get(annualRatePercent);
  if (key === undefined) {
    if (rateKeys.size >= RATE_KEYS_LIMIT) rateKeys.clear();
    key = nextRateKey++;
    rateKeys.set(annualRatePercent, key);
  }
  return key;
}

interface ScheduleRates {
  aprPercent: string;
  effectiveRatePercent: string;
}

/**
 * Generates the repayment schedule of `terms` (pure: no clock, no I/O).
 *
 * @example
 * const schedule = generateSchedule(parseScheduleTerms({ principal: '5000.00', currency: 'EUR', annualRate: '12',
 *   numberOfRepayments: 18, disbursementDate: '2022-11-01', installmentMultipleOf: '1' }));
 * schedule.installments[0].totalMinor // 30500n
 */
export function generateSchedule(terms: ScheduleTerms): Schedule {
  const plan = newLoanPeriodPlan(terms);
  const downPaymentMinor = downPayment(terms);
  const financedMinor = terms.principalMinor - downPaymentMinor;
  const principalParts = new Array<bigint>(plan.count);
  const interestParts = new Array<bigint>(plan.count);
  const totalParts = new Array<bigint>(plan.count);
  amortizeNewLoan(terms, plan, financedMinor, principalParts, interestParts, totalParts);

  const installments: Installment[] = [];
  let balanceMinor = terms.principalMinor;
  let totalInterestMinor = 0n;
  if (downPaymentMinor > 0n) {
    balanceMinor -= downPaymentMinor;
    installments.push({
      number: 1, fromDate: terms.disbursementDate, dueDate: terms.disbursementDate, days: 0, principalMinor: downPaymentMinor,
      interestMinor: 0n, totalMinor: downPaymentMinor, balanceMinor,
    });
  }
  appendInstallments(installments, plan, principalParts, interestParts, totalParts, balanceMinor, installments.length + 1);
  for (let index = 0; index < plan.count; index++) totalInterestMinor += interestParts[index]!;
  const { aprPercent, effectiveRatePercent } = scheduleRates(terms, plan, financedMinor, totalParts);
  return {
    installments,
    totalPrincipalMinor: terms.principalMinor,
    totalInterestMinor,
    totalMinor: terms.principalMinor + totalInterestMinor,
    aprPercent,
    effectiveRatePercent,
  };
}

/** The terms that shape a period plan; the principal, rounding, grace and multiple do not. */
type PlanTerms = Pick<ScheduleTerms,
  'annualRatePercent' | 'disbursementDate' | 'firstRepaymentDate' | 'numberOfRepayments' | 'repaymentEvery' | 'repaymentUnit'
  | 'interestCalculation' | 'emi' | 'daysInYear' | 'daysInMonth'>;

interface CachedPlan {
  terms: PlanTerms;
  plan: PeriodPlan;
}

function samePlanTerms(a: PlanTerms, b: PlanTerms): boolean {
  return a.annualRatePercent === b.annualRatePercent && a.disbursementDate === b.disbursementDate
    && a.firstRepaymentDate === b.firstRepaymentDate && a.numberOfRepayments === b.numberOfRepayments
    && a.repaymentEvery === b.repaymentEvery && a.repaymentUnit === b.repaymentUnit && a.interestCalculation === b.interestCalculation
    && a.emi === b.emi && a.daysInYear === b.daysInYear && a.daysInMonth === b.daysInMonth;
}

/** Mixes a 32-bit value into a running hash (the multiplier is the 32-bit golden-ratio constant). */
function mixHash(hash: number, value: number): number {
  return Math.imul(hash ^ value, 0x9e3779b1) ^ (hash >>> 15);
}

function mixTextHash(hash: number, text: string): number {
  let mixed = hash;
  for (let index = 0; index < text.length; index++) mixed = mixHash(mixed, text.charCodeAt(index));
  return mixed;
}

/**
 * A 32-bit hash of the plan terms. Hashing the fields directly is cheaper than building and hashing a
 * text key on every schedule; a hit is confirmed field by field, so a collision only costs a rebuild.
 */
function planTermsHash(terms: PlanTerms): number {
  let hash = mixHash(0, rateKey(terms.annualRatePercent));
  hash = mixTextHash(hash, terms.disbursementDate);
  hash = terms.firstRepaymentDate === null ? mixHash(hash, 0) : mixTextHash(hash, terms.firstRepaymentDate);
  hash = mixHash(hash, terms.numberOfRepayments);
  hash = mixHash(hash, terms.repaymentEvery);
  hash = mixTextHash(hash, terms.repaymentUnit);
  hash = mixTextHash(hash, terms.interestCalculation);
  hash = mixTextHash(hash, terms.emi);
  hash = mixHash(hash, terms.daysInYear === 'actual' ? 0 : terms.daysInYear);
  return mixHash(hash, terms.daysInMonth === 'actual' ? 0 : terms.daysInMonth);
}

/**
 * The period plan of a new loan, from the cache when the same dates, frequency and rate were planned
 * before. A cached plan is only read (its lazily computed factors and rates aside).
 */
function newLoanPeriodPlan(terms: ScheduleTerms): PeriodPlan {
  const hash = planTermsHash(terms);
  const cached = periodPlanCache.get(hash);
  if (cached !== undefined && samePlanTerms(cached.terms, terms)) return cached.plan;
  const disbursementDay = toEpochDay(terms.disbursementDate);
  const plan = buildPeriodPlan(terms, disbursementDay, repaymentDueDays(terms, disbursementDay));
  const planTerms: PlanTerms = {
    annualRatePercent: terms.annualRatePercent, disbursementDate: terms.disbursementDate, firstRepaymentDate: terms.firstRepaymentDate,
    numberOfRepayments: terms.numberOfRepayments, repaymentEvery: terms.repaymentEvery, repaymentUnit: terms.repaymentUnit,
    interestCalculation: terms.interestCalculation, emi: terms.emi, daysInYear: terms.daysInYear, daysInMonth: terms.daysInMonth,
  };
  if (plan.count <= MAX_CACHED_PLAN_PERIODS) periodPlanCache.set(hash, { terms: planTerms, plan });
  return plan;
}

export interface RescheduleRequest {
  outstandingPrincipalMinor: bigint;
  /** Start of the first remaining period (the last due date paid, or the prepayment date). */
  fromDate: BusinessDate;
  /** Due dates still ahead, strictly increasing, all after `fromDate`. */
  remainingDueDates: readonly BusinessDate[];
  mode: 'reduce-installment' | 'reduce-term';
  /** The installment before the prepayment; reduce-term keeps it. */
  currentInstallmentMinor: bigint;
}

/**
 * Re-amortises the outstanding principal after a prepayment, over the remaining due dates.
 * `reduce-installment` keeps the dates and recomputes the installment; `reduce-term` keeps the
 * installment and drops the dates it no longer needs, the last installment being smaller.
 * Installments are numbered from 1; the caller renumbers them into the loan's schedule.
 *
 * @example
 * rescheduleRemaining(terms, { outstandingPrincipalMinor: 300000n, fromDate: '2023-05-01' as BusinessDate,
 *   remainingDueDates, mode: 'reduce-term', currentInstallmentMinor: 30500n })
 */
export function rescheduleRemaining(terms: ProductScheduleTerms, request: RescheduleRequest): Installment[] {
  if (request.outstandingPrincipalMinor < 0n) throw validationError('outstandingPrincipalMinor', 'must not be negative');
  if (request.remainingDueDates.length === 0) throw validationError('remainingDueDates', 'must list at least one due date');
  const fromDay = toEpochDay(request.fromDate);
  const dueDays = request.remainingDueDates.map((date) => toEpochDay(date));
  let previousDay = fromDay;
  for (const dueDay of dueDays) {
    if (dueDay <= previousDay) throw validationError('remainingDueDates', 'must be strictly increasing and after fromDate', 'INVALID_DATE');
    previousDay = dueDay;
  }
  if (request.outstandingPrincipalMinor === 0n) return [];
  // Grace applies to the start of a loan only; a reschedule amortises from its first period.
  const remainingTerms: ProductScheduleTerms = { ...terms, graceOnPrincipalPeriods: 0, graceOnInterestPaymentPeriods: 0, numberOfRepayments: dueDays.length };
  const plan = buildPeriodPlan(remainingTerms, fromDay, dueDays, true);
  const principalParts = new Array<bigint>(plan.count);
  const interestParts = new Array<bigint>(plan.count);
  const totalParts = new Array<bigint>(plan.count);
  if (request.mode === 'reduce-installment' || terms.amortization === 'equal-principal' || terms.interestMethod === 'flat') {
    amortizeNewLoan(remainingTerms, plan, request.outstandingPrincipalMinor, principalParts, interestParts, totalParts);
  } else {
    if (request.currentInstallmentMinor <= 0n) throw validationError('currentInstallmentMinor', 'must be positive');
    amortizeDecliningWithInstallment(remainingTerms, plan, request.outstandingPrincipalMinor, request.currentInstallmentMinor, 0, principalParts, interestParts, totalParts);
    if (interestParts[0]! >= request.currentInstallmentMinor && plan.count > 1) {
      throw validationError('currentInstallmentMinor', 'does not cover the interest of a period; reduce the installment instead');
    }
    // Keep the periods up to the one that pays the balance off.
    let lastNeeded = plan.count - 1;
    while (lastNeeded > 0 && principalParts[lastNeeded] === 0n && interestParts[lastNeeded] === 0n) lastNeeded--;
    plan.count = lastNeeded + 1;
  }
  const installments: Installment[] = [];
  appendInstallments(installments, plan, principalParts, interestParts, totalParts, request.outstandingPrincipalMinor, 1);
  return installments;
}

/**
 * The contract's output JSON: money as decimal strings with the currency's exact digits.
 *
 * @example formatSchedule(generateSchedule(terms), 'EUR' as CurrencyCode).installments[0].total // "305.00"
 */
export function formatSchedule(schedule: Schedule, currency: CurrencyCode): FormattedSchedule {
  return {
    currency,
    installments: schedule.installments.map((installment) => ({
      number: installment.number,
      dueDate: installment.dueDate,
      days: installment.days,
      principal: formatMoney(installment.principalMinor, currency),
      interest: formatMoney(installment.interestMinor, currency),
      total: formatMoney(installment.totalMinor, currency),
      balance: formatMoney(installment.balanceMinor, currency),
    })),
    totals: {
      principal: formatMoney(schedule.totalPrincipalMinor, currency),
      interest: formatMoney(schedule.totalInterestMinor, currency),
      total: formatMoney(schedule.totalMinor, currency),
    },
    apr: schedule.aprPercent,
    effectiveRate: schedule.effectiveRatePercent,
  };
}

export interface FormattedInstallment {
  number: number;
  dueDate: string;
  days: number;
  principal: string;
  interest: string;
  total: string;
  balance: string;
}

export interface FormattedSchedule {
  currency: string;
  installments: FormattedInstallment[];
  totals: { principal: string; interest: string; total: string };
  apr: string;
  effectiveRate: string;
}

// ---------------------------------------------------------------------------------------------
// Dates

/** Due dates as epoch days: every `repaymentEvery` units from the first repayment date. */
function repaymentDueDays(terms: ScheduleTerms, disbursementDay: number): number[] {
  const count = terms.numberOfRepayments;
  const dueDays = new Array<number>(count);
  const every = terms.repaymentEvery;
  if (terms.repaymentUnit === 'months') {
    // Months count from the anchor, not from the previous date, so a 31st stays the 31st after February.
    const anchorParts = partsFromEpochDay(terms.firstRepaymentDate ? toEpochDay(terms.firstRepaymentDate) : disbursementDay);
    const offset = terms.firstRepaymentDate ? 0 : every;
    const anchorMonthIndex = anchorParts.year * 12 + anchorParts.month - 1;
    for (let index = 0; index < count; index++) {
      const monthIndex = anchorMonthIndex + offset + index * every;
      const year = Math.floor(monthIndex / 12);
      const month = monthIndex - year * 12 + 1;
      dueDays[index] = epochDayFromParts(year, month, Math.min(anchorParts.day, daysInMonth(year, month)));
    }
    return dueDays;
  }
  const stepDays = terms.repaymentUnit === 'weeks' ? 7 * every : every;
  const firstDay = terms.firstRepaymentDate ? toEpochDay(terms.firstRepaymentDate) : disbursementDay + stepDays;
  for (let index = 0; index < count; index++) dueDays[index] = firstDay + index * stepDays;
  return dueDays;
}

function formatEpochDay(epochDay: number): BusinessDate {
  const { year, month, day } = partsFromEpochDay(epochDay);
  return formatDateParts(year, month, day);
}

function yearOfEpochDay(epochDay: number): number {
  return partsFromEpochDay(epochDay).year;
}

function addMonthsToEpochDay(epochDay: number, months: number): number {
  const { year, month, day } = partsFromEpochDay(epochDay);
  const monthIndex = year * 12 + month - 1 + months;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = monthIndex - targetYear * 12 + 1;
  return epochDayFromParts(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth)));
}

/**
 * Length of a period in months as numerator/denominator: whole months from `fromDay`, then the
 * leftover days as a share of the next month's days (how peer systems measure a broken period).
 */
function monthsBetween(fromDay: number, dueDay: number): [number, number] {
  let whole = 0;
  while (addMonthsToEpochDay(fromDay, whole + 1) <= dueDay) whole++;
  const wholeEnd = addMonthsToEpochDay(fromDay, whole);
  const leftover = dueDay - wholeEnd;
  if (leftover === 0) return [whole, 1];
  const span = addMonthsToEpochDay(fromDay, whole + 1) - wholeEnd;
  return [whole * span + leftover, span];
}

// ---------------------------------------------------------------------------------------------
// Rates

function numericDaysInYear(terms: ProductScheduleTerms, epochDay: number): number {
  if (terms.daysInYear !== 'actual') return terms.daysInYear;
  return isLeapYear(yearOfEpochDay(epochDay)) ? 366 : 365;
}

/**
 * Actual/actual year fraction of a period that crosses a year end. The split falls on 31 December of
 * each year, as the peer systems whose published schedules Lenity reproduces split it.
 */
function actualYearFraction(fromDay: number, dueDay: number): [number, number] {
  const fromYear = yearOfEpochDay(fromDay);
  const dueYear = yearOfEpochDay(dueDay);
  // 365 × 366 is a common denominator of both year lengths.
  const denominator = 365 * 366;
  let numerator = 0;
  let start = fromDay;
  for (let year = fromYear; year <= dueYear; year++) {
    const end = year === dueYear ? dueDay : epochDayFromParts(year, 12, 31);
    numerator += (end - start) * (isLeapYear(year) ? 365 : 366);
    start = end;
  }
  return [numerator, denominator];
}

/** The year fraction over which a period bears interest, as numerator/denominator. */
function periodYearFraction(terms: ProductScheduleTerms, fromDay: number, dueDay: number, regularMonths: boolean): [number, number] {
  const days = dueDay - fromDay;
  const monthly = terms.repaymentUnit === 'months';
  if (terms.interestCalculation === 'per-period' && monthly) {
    // One month is 1/12 of a year whatever its days.
    if (regularMonths) return [terms.repaymentEvery, 12];
    const [months, span] = monthsBetween(fromDay, dueDay);
    return [months, 12 * span];
  }
  if (terms.daysInYear === 'actual' && yearOfEpochDay(fromDay) !== yearOfEpochDay(dueDay)) return actualYearFraction(fromDay, dueDay);
  const yearDays = numericDaysInYear(terms, fromDay);
  if (terms.interestCalculation === 'daily' && monthly && terms.daysInMonth === 30) {
    // Every month has 30 days.
    if (regularMonths) return [30 * terms.repaymentEvery, yearDays];
    const [months, span] = monthsBetween(fromDay, dueDay);
    return [30 * months, span * yearDays];
  }
  return [days, yearDays];
}

/** The nominal rate of one regular period, as numerator/denominator of a year. */
function nominalYearFraction(terms: ProductScheduleTerms): [number, number] {
  const yearDays = terms.daysInYear === 'actual' ? 365 : terms.daysInYear;
  switch (terms.repaymentUnit) {
    case 'months':
      return [terms.repaymentEvery, 12];
    case 'weeks':
      return [7 * terms.repaymentEvery, yearDays];
    case 'days':
      return [terms.repaymentEvery, yearDays];
  }
}

function buildPeriodPlan(terms: ProductScheduleTerms, startDay: number, dueDays: number[], firstPeriodIrregular = false): PeriodPlan {
  const count = dueDays.length;
  const fromDays = new Array<number>(count);
  const rateNumerators = new Array<bigint>(count);
  const rateDenominators = new Array<bigint>(count);
  const emiRates = new Array<Fixed>(count);
  const rate = terms.annualRatePercent;
  const [nominalNumerator, nominalDenominator] = nominalYearFraction(terms);
  const nominalRate = divideRounded(rate * BigInt(nominalNumerator), 100n * BigInt(nominalDenominator), 'half-even');
  const monthly = terms.repaymentUnit === 'months';
  // interest = balance × rate × n / (100 × ONE × d). Dividing the rate and 100 × ONE by the powers of
  // ten they share leaves the same fraction with far smaller bigints, so every interest division is
  // cheaper and rounds exactly as before (quotient and remainder scale together).
  let rateReduced = rate;
  let hundredOneReduced = HUNDRED_ONE;
  while (rateReduced !== 0n && hundredOneReduced % 10n === 0n && rateReduced % 10n === 0n) {
    rateReduced /= 10n;
    hundredOneReduced /= 10n;
  }
  if (rateReduced === 0n) hundredOneReduced = 1n;
  const dates = new Array<BusinessDate>(count + 1);
  dates[0] = formatEpochDay(startDay);
  let previous = startDay;
  for (let index = 0; index < count; index++) {
    const dueDay = dueDays[index]!;
    dates[index + 1] = formatEpochDay(dueDay);
    fromDays[index] = previous;
    // Periods after the first are generated a whole number of units apart; only the first (or a
    // rescheduled first) may be broken.
    const regularMonths = monthly && (index > 0 || (!firstPeriodIrregular && addMonthsToEpochDay(previous, terms.repaymentEvery) === dueDay));
    const [numerator, denominator] = periodYearFraction(terms, previous, dueDay, regularMonths);
    rateNumerators[index] = rateReduced * BigInt(numerator);
    rateDenominators[index] = hundredOneReduced * BigInt(denominator);
    emiRates[index] = terms.emi === 'nominal' ? nominalRate : divideRounded(rate * BigInt(numerator), 100n * BigInt(denominator), 'half-even');
    previous = dueDay;
  }
  return { count, fromDays, dueDays, dates, rateNumerators, rateDenominators, emiRates, installmentFactors: new Map(), nominalRates: null };
}

// ---------------------------------------------------------------------------------------------
// Amortisation

function downPayment(terms: ScheduleTerms): bigint {
  if (terms.downPaymentPercent <= 0n) return 0n;
  assert(terms.downPaymentPercent < HUNDRED_ONE, 'a down payment is less than the whole principal');
  const amountMinor = divideRounded(terms.principalMinor * terms.downPaymentPercent, HUNDRED_ONE, terms.roundingMode);
  const roundedMinor = roundInstallment(amountMinor, terms.installmentMultipleOfMinor, terms.roundingMode);
  // Rounding must never turn a down payment into the whole loan: something is always left to schedule.
  if (roundedMinor < terms.principalMinor) return roundedMinor;
  return amountMinor < terms.principalMinor ? amountMinor : 0n;
}

/** Rounds to the installment multiple, unless that would make a positive amount zero. */
function roundInstallment(amountMinor: bigint, multipleMinor: bigint, mode: RoundingMode): bigint {
  if (multipleMinor === 1n) return amountMinor;
  const rounded = roundToMultiple(amountMinor, multipleMinor, mode);
  return rounded === 0n && amountMinor > 0n ? amountMinor : rounded;
}

/** Periods that pay no principal: principal grace, and interest grace (those periods pay nothing). */
function principalGracePeriods(terms: ProductScheduleTerms, count: number): number {
  return Math.min(Math.max(terms.graceOnPrincipalPeriods, terms.graceOnInterestPaymentPeriods), count - 1);
}

function amortizeNewLoan(
  terms: ProductScheduleTerms, plan: PeriodPlan, principalMinor: bigint,
  principalParts: bigint[], interestParts: bigint[], totalParts: bigint[],
): void {
  const grace = principalGracePeriods(terms, plan.count);
  const amortizingCount = plan.count - grace;
  if (terms.interestMethod === 'flat') {
    amortizeFlat(terms, plan, principalMinor, grace, principalParts, interestParts, totalParts);
    return;
  }
  if (terms.amortization === 'equal-principal') {
    // The principal share is rounded to the currency digits only: the installment multiple governs a
    // level installment, and equal-principal installments are not level (Fineract's RS04 schedule keeps
    // 277.78 of 5000 over 18 with installments in multiples of 1 EUR).
    const shareMinor = divideRounded(principalMinor, BigInt(amortizingCount), terms.roundingMode);
    amortizeDecliningWithInstallment(terms, plan, principalMinor, shareMinor, grace, principalParts, interestParts, totalParts, true);
    return;
  }
  const installmentMinor = equalInstallment(terms, plan, principalMinor, grace);
  let difference = amortizeDecliningWithInstallment(terms, plan, principalMinor, installmentMinor, grace, principalParts, interestParts, totalParts);
  adjustInstallment(terms, plan, principalMinor, grace, installmentMinor, difference, principalParts, interestParts, totalParts);
}

/**
 * The level installment P·Π(1+rᵢ)/f over the amortising periods (f₁ = 1, fₖ = 1 + fₖ₋₁(1+rₖ)),
 * which is the annuity P·r/(1−(1+r)^−n) when every rᵢ is the nominal r; rounded to the currency
 * digits, then to the installment multiple.
 */
function equalInstallment(terms: ProductScheduleTerms, plan: PeriodPlan, principalMinor: bigint, grace: number): bigint {
  const { product, fn } = installmentFactors(plan, grace);
  const installmentMinor = divideRounded(principalMinor * product, fn, terms.roundingMode);
  return roundInstallment(installmentMinor, terms.installmentMultipleOfMinor, terms.roundingMode);
}

/** Π(1+rᵢ) and f over the periods after `grace`; they depend on the plan alone, so a plan keeps them. */
function installmentFactors(plan: PeriodPlan, grace: number): InstallmentFactors {
  const cached = plan.installmentFactors.get(grace);
  if (cached !== undefined) return cached;
  let product = ONE;
  let fn = ONE;
  for (let index = grace; index < plan.count; index++) {
    const growth = ONE + plan.emiRates[index]!;
    product = multiplyFixed(product, growth);
    if (index > grace) fn = ONE + multiplyFixed(fn, growth);
  }
  const factors = { product, fn };
  plan.installmentFactors.set(grace, factors);
  return factors;
}

/**
 * Declining balance with a fixed installment (or, with `principalShare`, a fixed principal part).
 * Writes the parts and returns the last installment's own amount minus the one before it, which
 * tells how far the rounding of the installment drifted.
 */
function amortizeDecliningWithInstallment(
  terms: ProductScheduleTerms, plan: PeriodPlan, principalMinor: bigint, amountMinor: bigint, grace: number,
  principalParts: bigint[], interestParts: bigint[], totalParts: bigint[], principalShare = false,
): bigint {
  const count = plan.count;
  const mode = terms.roundingMode;
  const interestGrace = Math.min(terms.graceOnInterestPaymentPeriods, count - 1);
  let balanceMinor = principalMinor;
  let deferredMinor = 0n;
  let previousOwnMinor = 0n;
  let lastOwnMinor = 0n;
  for (let index = 0; index < count; index++) {
    const interestMinor = balanceMinor === 0n ? 0n : divideRounded(balanceMinor * plan.rateNumerators[index]!, plan.rateDenominators[index]!, mode);
    let principalPartMinor: bigint;
    if (index < grace) principalPartMinor = 0n;
    else if (index === count - 1) principalPartMinor = balanceMinor;
    else {
      principalPartMinor = principalShare ? amountMinor : amountMinor - interestMinor;
      if (principalPartMinor < 0n) principalPartMinor = 0n;
      if (principalPartMinor > balanceMinor) principalPartMinor = balanceMinor;
    }
    balanceMinor -= principalPartMinor;
    const ownMinor = principalPartMinor + interestMinor;
    if (index < interestGrace) {
      // Deferred, not waived: paid with the first period after the grace.
      deferredMinor += interestMinor;
      interestParts[index] = 0n;
      totalParts[index] = principalPartMinor;
    } else if (deferredMinor !== 0n) {
      interestParts[index] = interestMinor + deferredMinor;
      totalParts[index] = ownMinor + deferredMinor;
      deferredMinor = 0n;
    } else {
      interestParts[index] = interestMinor;
      totalParts[index] = ownMinor;
    }
    principalParts[index] = principalPartMinor;
    previousOwnMinor = lastOwnMinor;
    lastOwnMinor = ownMinor;
  }
  return lastOwnMinor - previousOwnMinor;
}

const MAX_INSTALLMENT_ADJUSTMENTS = 3;

/**
 * When rounding the installment leaves a last installment far from the others (more than a minor
 * unit per two amortising periods), spread the difference over the periods and keep the result only
 * if it brings the last installment closer, as the peer servicing systems do (at most three tries).
 */
function adjustInstallment(
  terms: ProductScheduleTerms, plan: PeriodPlan, principalMinor: bigint, grace: number, installmentMinor: bigint,
  firstDifferenceMinor: bigint, principalParts: bigint[], interestParts: bigint[], totalParts: bigint[],
): void {
  const amortizingCount = plan.count - grace;
  const halfOfPeriods = BigInt(Math.floor(amortizingCount / 2));
  if (halfOfPeriods === 0n) return;
  let currentMinor = installmentMinor;
  let differenceMinor = firstDifferenceMinor;
  let candidatePrincipal: bigint[] | null = null;
  for (let attempt = 0; attempt < MAX_INSTALLMENT_ADJUSTMENTS; attempt++) {
    const magnitude = differenceMinor < 0n ? -differenceMinor : differenceMinor;
    if (magnitude <= halfOfPeriods) return;
    const stepMinor = divideRounded(differenceMinor, BigInt(amortizingCount), terms.roundingMode);
    const adjustedMinor = roundInstallment(currentMinor + stepMinor, terms.installmentMultipleOfMinor, terms.roundingMode);
    if (adjustedMinor === currentMinor) return;
    candidatePrincipal ??= new Array<bigint>(plan.count);
    const candidateInterest = new Array<bigint>(plan.count);
    const candidateTotal = new Array<bigint>(plan.count);
    const newDifference = amortizeDecliningWithInstallment(terms, plan, principalMinor, adjustedMinor, grace, candidatePrincipal, candidateInterest, candidateTotal);
    const newMagnitude = newDifference < 0n ? -newDifference : newDifference;
    if (newMagnitude >= magnitude) return;
    for (let index = 0; index < plan.count; index++) {
      principalParts[index] = candidatePrincipal[index]!;
      interestParts[index] = candidateInterest[index]!;
      totalParts[index] = candidateTotal[index]!;
    }
    currentMinor = adjustedMinor;
    differenceMinor = newDifference;
  }
}

/**
 * Flat interest: principal × annual rate × term in years, spread equally over the installments
 * (the last takes the rounding remainder); with equal installments the installment is level after
 * rounding and the last one is adjusted.
 */
function amortizeFlat(
  terms: ProductScheduleTerms, plan: PeriodPlan, principalMinor: bigint, grace: number,
  principalParts: bigint[], interestParts: bigint[], totalParts: bigint[],
): void {
  const count = plan.count;
  const mode = terms.roundingMode;
  const amortizingCount = BigInt(count - grace);
  // Sum of the periods' year fractions as a Fixed, then one rounding of the total interest.
  let termRate: Fixed = 0n;
  for (let index = 0; index < count; index++) termRate += divideFixed(plan.rateNumerators[index]!, plan.rateDenominators[index]!);
  const totalInterestMinor = divideRounded(principalMinor * termRate, ONE, mode);
  const interestShareMinor = divideRounded(totalInterestMinor, BigInt(count), mode);
  let principalShareMinor: bigint;
  if (terms.amortization === 'equal-principal') {
    // As with declining balance: the share is rounded to the currency digits, not to the installment multiple.
    principalShareMinor = divideRounded(principalMinor, amortizingCount, mode);
  } else {
    // The level installment P/m + I/n, rounded once, then the principal is what the interest leaves.
    const installmentMinor = roundInstallment(
      divideRounded(principalMinor * BigInt(count) + totalInterestMinor * amortizingCount, amortizingCount * BigInt(count), mode),
      terms.installmentMultipleOfMinor, mode,
    );
    principalShareMinor = installmentMinor - interestShareMinor;
  }
  const interestGrace = Math.min(terms.graceOnInterestPaymentPeriods, count - 1);
  let balanceMinor = principalMinor;
  let interestLeftMinor = totalInterestMinor;
  let deferredMinor = 0n;
  for (let index = 0; index < count; index++) {
    const last = index === count - 1;
    const interestMinor = last ? interestLeftMinor : interestShareMinor < interestLeftMinor ? interestShareMinor : interestLeftMinor;
    interestLeftMinor -= interestMinor;
    let principalPartMinor = index < grace ? 0n : last ? balanceMinor : principalShareMinor;
    if (principalPartMinor < 0n) principalPartMinor = 0n;
    if (principalPartMinor > balanceMinor) principalPartMinor = balanceMinor;
    balanceMinor -= principalPartMinor;
    let interestDueMinor: bigint;
    if (index < interestGrace) {
      deferredMinor += interestMinor;
      interestDueMinor = 0n;
    } else {
      interestDueMinor = interestMinor + deferredMinor;
      deferredMinor = 0n;
    }
    principalParts[index] = principalPartMinor;
    interestParts[index] = interestDueMinor;
    totalParts[index] = principalPartMinor + interestDueMinor;
  }
}

function appendInstallments(
  installments: Installment[], plan: PeriodPlan, principalParts: bigint[], interestParts: bigint[], totalParts: bigint[],
  openingBalanceMinor: bigint, firstNumber: number,
): void {
  let balanceMinor = openingBalanceMinor;
  const dates = plan.dates;
  for (let index = 0; index < plan.count; index++) {
    balanceMinor -= principalParts[index]!;
    installments.push({
      number: firstNumber + index,
      fromDate: dates[index]!,
      dueDate: dates[index + 1]!,
      days: plan.dueDays[index]! - plan.fromDays[index]!,
      principalMinor: principalParts[index]!,
      interestMinor: interestParts[index]!,
      totalMinor: totalParts[index]!,
      balanceMinor,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// APR and effective rate

/** Unit periods in a year for the terms' repayment frequency, as a `Fixed`. */
export function periodsPerYear(terms: ProductScheduleTerms): Fixed {
  const yearDays = BigInt(terms.daysInYear === 'actual' ? 365 : terms.daysInYear);
  const every = BigInt(terms.repaymentEvery);
  switch (terms.repaymentUnit) {
    case 'months':
      return divideRounded(12n * ONE, every, 'half-even');
    case 'weeks':
      return divideRounded(yearDays * ONE, 7n * every, 'half-even');
    case 'days':
      return divideRounded(yearDays * ONE, every, 'half-even');
  }
}

/**
 * The cash flows of a schedule for the actuarial APR: the amount financed net of upfront fees, then
 * each installment at its time in unit periods (a broken first period counts as its share of one).
 *
 * @example annualPercentageRate(scheduleCashFlows(terms, schedule, 5000n))
 */
export function scheduleCashFlows(terms: ScheduleTerms, schedule: Schedule, upfrontFeesMinor = 0n): CashFlows {
  const payments: DatedPayment[] = [];
  let downPaymentMinor = 0n;
  const disbursementDay = toEpochDay(terms.disbursementDate);
  let firstTime: Fixed | null = null;
  let regularIndex = 0;
  for (const installment of schedule.installments) {
    if (installment.days === 0 && installment.dueDate === terms.disbursementDate) {
      downPaymentMinor += installment.totalMinor;
      continue;
    }
    firstTime ??= firstPeriodTime(terms, disbursementDay, toEpochDay(installment.dueDate));
    payments.push({ amountMinor: installment.totalMinor, timeInPeriods: firstTime + BigInt(regularIndex) * ONE });
    regularIndex++;
  }
  return {
    amountFinancedMinor: terms.principalMinor - downPaymentMinor - upfrontFeesMinor,
    payments,
    periodsPerYear: periodsPerYear(terms),
  };
}

function firstPeriodTime(terms: ProductScheduleTerms, fromDay: number, dueDay: number): Fixed {
  const every = terms.repaymentEvery;
  if (terms.repaymentUnit === 'months') {
    const [months, span] = monthsBetween(fromDay, dueDay);
    return divideRounded(BigInt(months) * ONE, BigInt(span * every), 'half-even');
  }
  const stepDays = terms.repaymentUnit === 'weeks' ? 7 * every : every;
  return divideRounded(BigInt(dueDay - fromDay) * ONE, BigInt(stepDays), 'half-even');
}

/**
 * The contract's rates: with declining balance the period rate is the nominal one (12% monthly →
 * APR 12.00, effective 12.68); with flat interest it is the internal rate of return of the payments.
 */
function scheduleRates(terms: ScheduleTerms, plan: PeriodPlan, financedMinor: bigint, totalParts: bigint[]): ScheduleRates {
  const nominal = terms.interestMethod === 'declining-balance' || terms.annualRatePercent === 0n;
  // The nominal rates depend on the rate and the frequency alone: computed once for each, and kept
  // on the plan too, whose key holds both.
  if (nominal && plan.nominalRates !== null) return plan.nominalRates;
  const key = nominal ? `${terms.annualRatePercent}|${terms.repaymentEvery}|${terms.repaymentUnit}|${terms.daysInYear}` : '';
  if (nominal) {
    const cached = nominalRatesCache.get(key);
    if (cached !== undefined) {
      plan.nominalRates = cached;
      return cached;
    }
  }
  const yearPeriods = periodsPerYear(terms);
  let periodRate: Fixed;
  if (nominal) {
    const [numerator, denominator] = nominalYearFraction(terms);
    periodRate = divideRounded(terms.annualRatePercent * BigInt(numerator), 100n * BigInt(denominator), 'half-even');
  } else {
    const payments: DatedPayment[] = [];
    const firstTime = firstPeriodTime(terms, plan.fromDays[0]!, plan.dueDays[0]!);
    for (let index = 0; index < plan.count; index++) {
      payments.push({ amountMinor: totalParts[index]!, timeInPeriods: firstTime + BigInt(index) * ONE });
    }
    periodRate = periodicRateOfReturn({ amountFinancedMinor: financedMinor, payments, periodsPerYear: yearPeriods });
  }
  const aprPercent = formatFixed(multiplyFixed(periodRate, yearPeriods) * 100n, 2, 'half-even');
  const effectiveRatePercent = formatFixed(effectiveAnnualRate(periodRate, yearPeriods) * 100n, 2, 'half-even');
  const rates = { aprPercent, effectiveRatePercent };
  if (nominal) {
    nominalRatesCache.set(key, rates);
    plan.nominalRates = rates;
  }
  return rates;
}
