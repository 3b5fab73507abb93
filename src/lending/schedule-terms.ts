import { type CurrencyCode, parseCurrency } from '../shared/currency.ts';
import { type BusinessDate, parseBusinessDate, toEpochDay } from '../shared/business-date.ts';
import { type Fixed, parseDecimal } from '../shared/decimal.ts';
import { validationError } from '../shared/errors.ts';
import { type JsonObject, readEnum, readInteger, readObject } from '../shared/input.ts';
import { parseMoney } from '../shared/money.ts';
import { ROUNDING_MODES, type RoundingMode } from '../shared/rounding.ts';

export type InterestMethod = 'declining-balance' | 'flat';
export type Amortization = 'equal-installments' | 'equal-principal';
export type InterestCalculation = 'per-period' | 'daily';
export type EmiMethod = 'nominal' | 'actual-days';
export type DaysInYear = 360 | 364 | 365 | 'actual';
export type DaysInMonth = 30 | 'actual';
export type RepaymentUnit = 'days' | 'weeks' | 'months';

export const INTEREST_METHODS: readonly InterestMethod[] = ['declining-balance', 'flat'];
export const AMORTIZATIONS: readonly Amortization[] = ['equal-installments', 'equal-principal'];
export const INTEREST_CALCULATIONS: readonly InterestCalculation[] = ['per-period', 'daily'];
export const EMI_METHODS: readonly EmiMethod[] = ['nominal', 'actual-days'];
export const REPAYMENT_UNITS: readonly RepaymentUnit[] = ['days', 'weeks', 'months'];

/** Limits on the terms a caller may ask for: a schedule is built in memory, so its size is bounded. */
export const MAX_NUMBER_OF_REPAYMENTS = 1200;
export const MAX_REPAYMENT_EVERY = 366;
export const MAX_ANNUAL_RATE_PERCENT = 10_000n;

/**
 * The terms of a product: everything a schedule needs except the amount and the dates.
 *
 * Money is integer minor units of `currency`; `annualRatePercent` is the nominal annual rate in
 * percent as a `Fixed` (12% is `fixedFromInteger(12)`), because the contract carries percent.
 */
export interface ProductScheduleTerms {
  currency: CurrencyCode;
  annualRatePercent: Fixed;
  interestMethod: InterestMethod;
  amortization: Amortization;
  interestCalculation: InterestCalculation;
  emi: EmiMethod;
  daysInYear: DaysInYear;
  daysInMonth: DaysInMonth;
  repaymentEvery: number;
  repaymentUnit: RepaymentUnit;
  numberOfRepayments: number;
  /** Installments are rounded to a multiple of this many minor units (the minor unit itself when absent). */
  installmentMultipleOfMinor: bigint;
  roundingMode: RoundingMode;
  graceOnPrincipalPeriods: number;
  graceOnInterestPaymentPeriods: number;
  /** Share of the principal due on the disbursement date as installment 1 (percent); 0 for none. */
  downPaymentPercent: Fixed;
}

/** The terms of one loan: a product's terms plus the principal and the dates. */
export interface ScheduleTerms extends ProductScheduleTerms {
  principalMinor: bigint;
  disbursementDate: BusinessDate;
  /** null: one repayment period after the disbursement date. */
  firstRepaymentDate: BusinessDate | null;
}

const PRODUCT_FIELDS = [
  'currency', 'annualRate', 'interestMethod', 'amortization', 'interestCalculation', 'emi', 'daysInYear', 'daysInMonth',
  'repaymentEvery', 'repaymentUnit', 'numberOfRepayments', 'installmentMultipleOf', 'roundingMode',
  'graceOnPrincipalPeriods', 'graceOnInterestPaymentPeriods',
] as const;

const LOAN_FIELDS = ['principal', 'disbursementDate', 'firstRepaymentDate'] as const;

/**
 * Parses the product part of the schedule contract (every field except `principal`,
 * `disbursementDate` and `firstRepaymentDate`). Defaults follow the contract.
 *
 * @example parseProductScheduleTerms({ currency: 'CNY', annualRate: '18', numberOfRepayments: 12 })
 */
export function parseProductScheduleTerms(json: unknown, parent = ''): ProductScheduleTerms {
  const object = readObject(json, parent, PRODUCT_FIELDS);
  return readProductFields(object, parent);
}

/**
 * Parses the `lenity schedule` input contract into terms; each error names its field.
 *
 * @example parseScheduleTerms({ principal: '5000.00', currency: 'EUR', annualRate: '12', numberOfRepayments: 18, disbursementDate: '2022-11-01' })
 */
export function parseScheduleTerms(json: unknown, parent = ''): ScheduleTerms {
  const object = readObject(json, parent, [...PRODUCT_FIELDS, ...LOAN_FIELDS]);
  const product = readProductFields(object, parent);
  const principalMinor = parseMoney(object.principal, product.currency, { field: path(parent, 'principal'), allowZero: false });
  const disbursementDate = parseBusinessDate(object.disbursementDate, path(parent, 'disbursementDate'));
  const firstValue = object.firstRepaymentDate;
  const firstRepaymentDate = firstValue === undefined || firstValue === null ? null : parseBusinessDate(firstValue, path(parent, 'firstRepaymentDate'));
  if (firstRepaymentDate !== null && toEpochDay(firstRepaymentDate) <= toEpochDay(disbursementDate)) {
    throw validationError(path(parent, 'firstRepaymentDate'), 'must be after the disbursement date', 'INVALID_DATE');
  }
  return { ...product, principalMinor, disbursementDate, firstRepaymentDate };
}

function path(parent: string, key: string): string {
  return parent ? `${parent}.${key}` : key;
}

function readProductFields(object: JsonObject, parent: string): ProductScheduleTerms {
  const currency = parseCurrency(object.currency, path(parent, 'currency'));
  const annualRatePercent = parseDecimal(object.annualRate, { field: path(parent, 'annualRate'), maxPlaces: 10 });
  if (annualRatePercent > MAX_ANNUAL_RATE_PERCENT * 10n ** 30n) {
    throw validationError(path(parent, 'annualRate'), `must be at most ${MAX_ANNUAL_RATE_PERCENT}`);
  }
  const interestMethod = readEnum(object, 'interestMethod', parent, INTEREST_METHODS, 'declining-balance');
  const amortization = readEnum(object, 'amortization', parent, AMORTIZATIONS, 'equal-installments');
  const interestCalculation = readEnum(object, 'interestCalculation', parent, INTEREST_CALCULATIONS, 'per-period');
  const emi = readEnum(object, 'emi', parent, EMI_METHODS, 'nominal');
  const daysInYear = readDaysInYear(object.daysInYear, path(parent, 'daysInYear'));
  const daysInMonth = readDaysInMonth(object.daysInMonth, path(parent, 'daysInMonth'));
  const repaymentEvery = readInteger(object, 'repaymentEvery', parent, { min: 1, max: MAX_REPAYMENT_EVERY, fallback: 1 });
  const repaymentUnit = readEnum(object, 'repaymentUnit', parent, REPAYMENT_UNITS, 'months');
  const numberOfRepayments = readInteger(object, 'numberOfRepayments', parent, { min: 1, max: MAX_NUMBER_OF_REPAYMENTS });
  const multipleValue = object.installmentMultipleOf;
  let installmentMultipleOfMinor = 1n;
  if (multipleValue !== undefined && multipleValue !== null) {
    installmentMultipleOfMinor = parseMoney(multipleValue, currency, { field: path(parent, 'installmentMultipleOf'), allowZero: false });
  }
  const roundingMode = readEnum(object, 'roundingMode', parent, ROUNDING_MODES, 'half-even');
  const graceOnPrincipalPeriods = readInteger(object, 'graceOnPrincipalPeriods', parent, { min: 0, fallback: 0 });
  const graceOnInterestPaymentPeriods = readInteger(object, 'graceOnInterestPaymentPeriods', parent, { min: 0, fallback: 0 });
  // At least one period must repay principal, or the loan would never be repaid.
  if (graceOnPrincipalPeriods >= numberOfRepayments) {
    throw validationError(path(parent, 'graceOnPrincipalPeriods'), 'must be less than numberOfRepayments');
  }
  if (graceOnInterestPaymentPeriods >= numberOfRepayments) {
    throw validationError(path(parent, 'graceOnInterestPaymentPeriods'), 'must be less than numberOfRepayments');
  }
  return {
    currency, annualRatePercent, interestMethod, amortization, interestCalculation, emi, daysInYear, daysInMonth, repaymentEvery,
    repaymentUnit, numberOfRepayments, installmentMultipleOfMinor, roundingMode, graceOnPrincipalPeriods,
    graceOnInterestPaymentPeriods, downPaymentPercent: 0n,
  };
}

function readDaysInYear(value: unknown, field: string): DaysInYear {
  if (value === undefined) return 365;
  if (value === 360 || value === 364 || value === 365 || value === 'actual') return value;
  throw validationError(field, 'must be one of 360, 364, 365, "actual"');
}

function readDaysInMonth(value: unknown, field: string): DaysInMonth {
  if (value === undefined) return 'actual';
  if (value === 30 || value === 'actual') return value;
  throw validationError(field, 'must be 30 or "actual"');
}
