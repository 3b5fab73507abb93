import type { CurrencyCode } from '../shared/currency.ts';
import { type Fixed, parseDecimal, formatFixedShortest } from '../shared/decimal.ts';
import { validationError } from '../shared/errors.ts';
import { fieldPath, readArray, readEnum, readInteger, readObject, readOptionalString, readString, type JsonObject } from '../shared/input.ts';
import { formatMoney, parseMoney } from '../shared/money.ts';
import { DEFAULT_ALLOCATION, parseAllocationOrder, type AllocationOrder, formatAllocationOrder } from './allocation.ts';
import { type ProductScheduleTerms, parseProductScheduleTerms } from './schedule-terms.ts';
import { PREPAYMENT_MODES, type EarlyPayoffInterest, type PrepaymentMode } from './servicing.ts';

/** A fee that is a fixed amount or a percentage of a base amount, with optional caps. */
export type FeeRule =
  | { kind: 'fixed'; amountMinor: bigint }
  | { kind: 'percent'; percent: Fixed; minimumMinor: bigint | null; maximumMinor: bigint | null };

export interface LateFeeRule {
  fee: FeeRule;
  capPerInstallmentMinor: bigint | null;
  capPerLoanMinor: bigint | null;
}

export interface DelinquencyRange {
  code: string;
  minDays: number;
  maxDays: number | null;
}

/** The default ranges: 1–30, 31–60, 61–90, 91–120, 121–180, 181+. */
export const DEFAULT_DELINQUENCY_RANGES: readonly DelinquencyRange[] = [
  { code: 'B1', minDays: 1, maxDays: 30 },
  { code: 'B2', minDays: 31, maxDays: 60 },
  { code: 'B3', minDays: 61, maxDays: 90 },
  { code: 'B4', minDays: 91, maxDays: 120 },
  { code: 'B5', minDays: 121, maxDays: 180 },
  { code: 'B6', minDays: 181, maxDays: null },
];

/**
 * A loan product: the schedule terms plus what servicing needs — ranges, fees, allocation,
 * prepayment, the legal rate cap and the delinquency settings.
 */
export interface Product {
  name: string;
  terms: ProductScheduleTerms;
  principalMinimumMinor: bigint;
  principalMaximumMinor: bigint;
  repaymentsMinimum: number;
  repaymentsMaximum: number;
  originationFee: FeeRule | null;
  lateFee: LateFeeRule | null;
  penaltyAnnualRatePercent: Fixed;
  allocationOrder: AllocationOrder;
  prepaymentMode: PrepaymentMode;
  earlyPayoffInterest: EarlyPayoffInterest;
  /** The legal cap on the annual percentage rate, in percent; null when no cap applies. */
  rateCapPercent: Fixed | null;
  agingGraceDays: number;
  delinquencyRanges: DelinquencyRange[];
  nonAccrualDays: number | null;
  chargeOffDays: number;
}

const PRODUCT_FIELDS = [
  'name', 'terms', 'principalRange', 'repaymentsRange', 'originationFee', 'lateFee', 'penaltyAnnualRate', 'allocation',
  'prepayment', 'earlyPayoffInterest', 'rateCap', 'agingGraceDays', 'delinquencyRanges', 'nonAccrualDays', 'chargeOffDays',
] as const;

/**
 * Parses a product definition (API JSON); each error names its field.
 *
 * @example parseProduct({ name: 'Personal 12m', terms: { currency: 'CNY', annualRate: '18', numberOfRepayments: 12 },
 *   principalRange: { min: '1000.00', max: '50000.00' } })
 */
export function parseProduct(json: unknown): Product {
  const object = readObject(json, '', PRODUCT_FIELDS);
  const name = readString(object, 'name', '');
  if (name.length > 200) throw validationError('name', 'must be at most 200 characters');
  const terms = parseProductScheduleTerms(object.terms, 'terms');
  const currency = terms.currency;
  const principalRange = readObject(object.principalRange, 'principalRange', ['min', 'max']);
  const principalMinimumMinor = parseMoney(principalRange.min, currency, { field: 'principalRange.min', allowZero: false });
  const principalMaximumMinor = parseMoney(principalRange.max, currency, { field: 'principalRange.max', allowZero: false });
  if (principalMaximumMinor < principalMinimumMinor) throw validationError('principalRange.max', 'must not be below principalRange.min');
  const repaymentsRange = object.repaymentsRange === undefined
    ? { min: terms.numberOfRepayments, max: terms.numberOfRepayments }
    : readObject(object.repaymentsRange, 'repaymentsRange', ['min', 'max']);
  const repaymentsMinimum = readInteger(repaymentsRange as JsonObject, 'min', 'repaymentsRange', { min: 1, max: 1200 });
  const repaymentsMaximum = readInteger(repaymentsRange as JsonObject, 'max', 'repaymentsRange', { min: repaymentsMinimum, max: 1200 });
  if (terms.numberOfRepayments < repaymentsMinimum || terms.numberOfRepayments > repaymentsMaximum) {
    throw validationError('terms.numberOfRepayments', 'must lie within repaymentsRange');
  }
  const rateCap = readOptionalString(object, 'rateCap', '');
  const chargeOffDays = readInteger(object, 'chargeOffDays', '', { min: 1, max: 3650, fallback: 180 });
  const nonAccrualValue = object.nonAccrualDays;
  const nonAccrualDays = nonAccrualValue === undefined || nonAccrualValue === null ? 90 : readInteger(object, 'nonAccrualDays', '', { min: 1, max: 3650 });
  return {
    name,
    terms,
    principalMinimumMinor,
    principalMaximumMinor,
    repaymentsMinimum,
    repaymentsMaximum,
    originationFee: object.originationFee == null ? null : parseFeeRule(object.originationFee, 'originationFee', currency),
    lateFee: object.lateFee == null ? null : parseLateFee(object.lateFee, currency),
    penaltyAnnualRatePercent: object.penaltyAnnualRate === undefined ? 0n : parseDecimal(object.penaltyAnnualRate, { field: 'penaltyAnnualRate', maxPlaces: 10 }),
    allocationOrder: parseAllocationOrder(object.allocation ?? DEFAULT_ALLOCATION, 'allocation'),
    prepaymentMode: readEnum(object, 'prepayment', '', PREPAYMENT_MODES, 'next-installments'),
    earlyPayoffInterest: readEnum(object, 'earlyPayoffInterest', '', ['scheduled', 'accrued'] as const, 'scheduled'),
    rateCapPercent: rateCap === null ? null : parseDecimal(rateCap, { field: 'rateCap', maxPlaces: 4 }),
    agingGraceDays: readInteger(object, 'agingGraceDays', '', { min: 0, max: 365, fallback: 0 }),
    delinquencyRanges: object.delinquencyRanges === undefined ? [...DEFAULT_DELINQUENCY_RANGES] : parseDelinquencyRanges(readArray(object, 'delinquencyRanges', ''), 'delinquencyRanges'),
    nonAccrualDays,
    chargeOffDays,
  };
}

function parseFeeRule(json: unknown, field: string, currency: CurrencyCode, extraFields: readonly string[] = []): FeeRule {
  const object = readObject(json, field, ['amount', 'percent', 'minimum', 'maximum', ...extraFields]);
  if ((object.amount === undefined) === (object.percent === undefined)) throw validationError(field, 'needs exactly one of "amount" or "percent"');
  if (object.amount !== undefined) return { kind: 'fixed', amountMinor: parseMoney(object.amount, currency, { field: fieldPath(field, 'amount'), allowZero: false }) };
  const percent = parseDecimal(object.percent, { field: fieldPath(field, 'percent'), maxPlaces: 6 });
  if (percent > 100n * 10n ** 30n) throw validationError(fieldPath(field, 'percent'), 'must be at most 100');
  return {
    kind: 'percent',
    percent,
    minimumMinor: object.minimum === undefined ? null : parseMoney(object.minimum, currency, { field: fieldPath(field, 'minimum') }),
    maximumMinor: object.maximum === undefined ? null : parseMoney(object.maximum, currency, { field: fieldPath(field, 'maximum') }),
  };
}

function parseLateFee(json: unknown, currency: CurrencyCode): LateFeeRule {
  const fee = parseFeeRule(json, 'lateFee', currency, ['capPerInstallment', 'capPerLoan']);
  const object = json as JsonObject;
  return {
    fee,
    capPerInstallmentMinor: object.capPerInstallment === undefined ? null : parseMoney(object.capPerInstallment, currency, { field: 'lateFee.capPerInstallment' }),
    capPerLoanMinor: object.capPerLoan === undefined ? null : parseMoney(object.capPerLoan, currency, { field: 'lateFee.capPerLoan' }),
  };
}

/** Delinquency ranges: codes unique, inclusive day ranges in ascending order without overlap; the last may be open. */
export function parseDelinquencyRanges(items: unknown[], field: string): DelinquencyRange[] {
  const ranges = items.map((item, index) => {
    const path = `${field}.${index}`;
    const object = readObject(item, path, ['code', 'minDays', 'maxDays']);
    const minDays = readInteger(object, 'minDays', path, { min: 1, max: 100000 });
    const maxDays = object.maxDays === undefined || object.maxDays === null ? null : readInteger(object, 'maxDays', path, { min: minDays, max: 100000 });
    return { code: readString(object, 'code', path), minDays, maxDays };
  });
  ranges.forEach((range, index) => {
    const previous = ranges[index - 1];
    if (previous && (previous.maxDays === null || range.minDays <= previous.maxDays)) throw validationError(`${field}.${index}.minDays`, 'must be above the previous range');
    if (range.maxDays === null && index < ranges.length - 1) throw validationError(`${field}.${index}.maxDays`, 'only the last range may be open-ended');
  });
  if (new Set(ranges.map((range) => range.code)).size !== ranges.length) throw validationError(field, 'codes must be unique');
  return ranges;
}

/** The delinquency range code for a number of delinquent days, or null when current. */
export function rangeForDays(ranges: readonly DelinquencyRange[], days: number): string | null {
  if (days <= 0) return null;
  for (const range of ranges) {
    if (days >= range.minDays && (range.maxDays === null || days <= range.maxDays)) return range.code;
  }
  return null;
}

/** The product back as API JSON (the same shape `parseProduct` reads). */
export function formatProduct(product: Product): JsonObject {
  const currency = product.terms.currency;
  const money = (value: bigint) => formatMoney(value, currency);
  const fee = (rule: FeeRule): JsonObject =>
    rule.kind === 'fixed'
      ? { amount: money(rule.amountMinor) }
      : {
          percent: formatFixedShortest(rule.percent),
          ...(rule.minimumMinor !== null ? { minimum: money(rule.minimumMinor) } : {}),
          ...(rule.maximumMinor !== null ? { maximum: money(rule.maximumMinor) } : {}),
        };
  const terms = product.terms;
  return {
    name: product.name,
    terms: {
      currency,
      annualRate: formatFixedShortest(terms.annualRatePercent),
      interestMethod: terms.interestMethod,
      amortization: terms.amortization,
      interestCalculation: terms.interestCalculation,
      emi: terms.emi,
      daysInYear: terms.daysInYear,
      daysInMonth: terms.daysInMonth,
      repaymentEvery: terms.repaymentEvery,
      repaymentUnit: terms.repaymentUnit,
      numberOfRepayments: terms.numberOfRepayments,
      installmentMultipleOf: money(terms.installmentMultipleOfMinor),
      roundingMode: terms.roundingMode,
      graceOnPrincipalPeriods: terms.graceOnPrincipalPeriods,
      graceOnInterestPaymentPeriods: terms.graceOnInterestPaymentPeriods,
    },
    principalRange: { min: money(product.principalMinimumMinor), max: money(product.principalMaximumMinor) },
    repaymentsRange: { min: product.repaymentsMinimum, max: product.repaymentsMaximum },
    originationFee: product.originationFee ? fee(product.originationFee) : null,
    lateFee: product.lateFee
      ? {
          ...fee(product.lateFee.fee),
          ...(product.lateFee.capPerInstallmentMinor !== null ? { capPerInstallment: money(product.lateFee.capPerInstallmentMinor) } : {}),
          ...(product.lateFee.capPerLoanMinor !== null ? { capPerLoan: money(product.lateFee.capPerLoanMinor) } : {}),
        }
      : null,
    penaltyAnnualRate: formatFixedShortest(product.penaltyAnnualRatePercent),
    allocation: formatAllocationOrder(product.allocationOrder),
    prepayment: product.prepaymentMode,
    earlyPayoffInterest: product.earlyPayoffInterest,
    rateCap: product.rateCapPercent === null ? null : formatFixedShortest(product.rateCapPercent),
    agingGraceDays: product.agingGraceDays,
    delinquencyRanges: product.delinquencyRanges.map((range) => ({ code: range.code, minDays: range.minDays, ...(range.maxDays !== null ? { maxDays: range.maxDays } : {}) })),
    nonAccrualDays: product.nonAccrualDays,
    chargeOffDays: product.chargeOffDays,
  };
}

