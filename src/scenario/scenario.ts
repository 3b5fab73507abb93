import { type BusinessDate, parseBusinessDate } from '../shared/business-date.ts';
import type { CurrencyCode } from '../shared/currency.ts';
import { type Fixed, fixedFromInteger, parseDecimal } from '../shared/decimal.ts';
import { validationError } from '../shared/errors.ts';
import { type JsonObject, readArray, readEnum, readInteger, readObject, readOptionalString } from '../shared/input.ts';
import { parseMoney } from '../shared/money.ts';
import { type AllocationOrder, DEFAULT_ALLOCATION, parseAllocationOrder } from '../lending/allocation.ts';
import { DEFAULT_DELINQUENCY_RANGES, type DelinquencyRange, parseDelinquencyRanges } from '../lending/product.ts';
import { type ProductScheduleTerms, parseProductScheduleTerms } from '../lending/schedule-terms.ts';

/** Scenarios are run in memory step by step; a bound keeps one request from running for minutes. */
export const MAX_SCENARIO_STEPS = 1000;

const SCHEDULE_FIELDS = [
  'currency', 'annualRate', 'interestMethod', 'amortization', 'interestCalculation', 'emi', 'daysInYear', 'daysInMonth',
  'repaymentEvery', 'repaymentUnit', 'numberOfRepayments', 'installmentMultipleOf', 'roundingMode',
  'graceOnPrincipalPeriods', 'graceOnInterestPaymentPeriods',
] as const;

const PRODUCT_FIELDS = [...SCHEDULE_FIELDS, 'firstRepaymentDate', 'allocation', 'agingGraceDays', 'delinquencyRanges', 'downPaymentPercent'] as const;
const LOAN_FIELDS = ['principal', 'disbursementDate', 'firstRepaymentDate'] as const;
const STEP_KINDS = ['charge', 'pay', 'reverse', 'eod', 'pause', 'resume', 'snapshot'] as const;

export type StepKind = (typeof STEP_KINDS)[number];

/** The product part of a scenario: schedule terms plus what servicing and delinquency need. */
export interface ScenarioProduct {
  /** The schedule terms as given (JSON), handed to the real product parser. */
  scheduleJson: JsonObject;
  terms: ProductScheduleTerms;
  allocation: AllocationOrder;
  allocationText: string;
  agingGraceDays: number;
  delinquencyRanges: DelinquencyRange[];
  /** Percent; 0 for none. */
  downPaymentPercent: Fixed;
  downPaymentText: string | null;
}

export interface ScenarioLoan {
  principalMinor: bigint;
  disbursementDate: BusinessDate;
  firstRepaymentDate: BusinessDate | null;
}

export type ScenarioStep =
  | { kind: 'charge'; step: number; on: BusinessDate; chargeKind: 'fee' | 'penalty'; amountMinor: bigint; dueDate: BusinessDate; name: string }
  | { kind: 'pay'; step: number; on: BusinessDate; amountMinor: bigint; date: BusinessDate }
  | { kind: 'reverse'; step: number; on: BusinessDate; payment: number }
  | { kind: 'eod'; step: number; on: BusinessDate }
  | { kind: 'pause'; step: number; on: BusinessDate; from: BusinessDate; until: BusinessDate | null; reason: string }
  | { kind: 'resume'; step: number; on: BusinessDate }
  | { kind: 'snapshot'; step: number; on: BusinessDate };

export interface Scenario {
  currency: CurrencyCode;
  product: ScenarioProduct;
  loan: ScenarioLoan;
  steps: ScenarioStep[];
}

/**
 * Parses a scenario (contract `lenity scenario run`); every error names its field as
 * `product.<field>`, `loan.<field>` or `steps.<step>.<kind>.<field>`, steps counted from 1.
 *
 * @example
 * parseScenario({ product: { currency: 'EUR', annualRate: '0', numberOfRepayments: 1, allocation: 'penalties-fees-interest-principal',
 *   agingGraceDays: 3, delinquencyRanges: [{ code: 'R1', minDays: 1 }] }, loan: { principal: '1000.00', disbursementDate: '2023-01-01' },
 *   steps: [{ on: '2023-02-10', pay: { amount: '1000.00' } }] })
 */
export function parseScenario(json: unknown): Scenario {
  const root = readObject(json, '', ['product', 'loan', 'steps']);
  const product = parseScenarioProduct(root.product);
  const currency = product.terms.currency;
  const loan = parseScenarioLoan(root.loan, currency);
  const stepsJson = readArray(root, 'steps', '');
  if (stepsJson.length > MAX_SCENARIO_STEPS) throw validationError('steps', `must have at most ${MAX_SCENARIO_STEPS} steps`);
  const steps: ScenarioStep[] = [];
  let previousOn: BusinessDate = loan.disbursementDate;
  let payCount = 0;
  stepsJson.forEach((item, index) => {
    const step = parseStep(item, index + 1, currency, loan, previousOn, payCount);
    if (step.kind === 'pay') payCount += 1;
    previousOn = step.on;
    steps.push(step);
  });
  return { currency, product, loan, steps };
}

function parseScenarioProduct(json: unknown): ScenarioProduct {
  const object = readObject(json, 'product', PRODUCT_FIELDS);
  const scheduleJson: JsonObject = {};
  for (const key of SCHEDULE_FIELDS) if (object[key] !== undefined) scheduleJson[key] = object[key];
  const terms = parseProductScheduleTerms(scheduleJson, 'product');
  if (object.firstRepaymentDate !== undefined && object.firstRepaymentDate !== null) {
    // A product has no dates of its own; the loan carries them.
    throw validationError('product.firstRepaymentDate', 'must be null; give loan.firstRepaymentDate instead');
  }
  const allocationText = object.allocation === undefined ? DEFAULT_ALLOCATION : object.allocation;
  const allocation = parseAllocationOrder(allocationText, 'product.allocation');
  const agingGraceDays = readInteger(object, 'agingGraceDays', 'product', { min: 0, max: 365, fallback: 0 });
  const delinquencyRanges = object.delinquencyRanges === undefined
    ? [...DEFAULT_DELINQUENCY_RANGES]
    : parseDelinquencyRanges(readArray(object, 'delinquencyRanges', 'product'), 'product.delinquencyRanges');
  let downPaymentPercent = 0n;
  let downPaymentText: string | null = null;
  if (object.downPaymentPercent !== undefined && object.downPaymentPercent !== null) {
    downPaymentPercent = parseDecimal(object.downPaymentPercent, { field: 'product.downPaymentPercent', maxPlaces: 6 });
    if (downPaymentPercent >= fixedFromInteger(100)) throw validationError('product.downPaymentPercent', 'must be below 100');
    downPaymentText = object.downPaymentPercent as string;
  }
  return { scheduleJson, terms, allocation, allocationText: allocationText as string, agingGraceDays, delinquencyRanges, downPaymentPercent, downPaymentText };
}

function parseScenarioLoan(json: unknown, currency: CurrencyCode): ScenarioLoan {
  const object = readObject(json, 'loan', LOAN_FIELDS);
  const principalMinor = parseMoney(object.principal, currency, { field: 'loan.principal', allowZero: false });
  const disbursementDate = parseBusinessDate(object.disbursementDate, 'loan.disbursementDate');
  const firstText = readOptionalString(object, 'firstRepaymentDate', 'loan');
  const firstRepaymentDate = firstText === null ? null : parseBusinessDate(firstText, 'loan.firstRepaymentDate');
  if (firstRepaymentDate !== null && firstRepaymentDate <= disbursementDate) {
    throw validationError('loan.firstRepaymentDate', 'must be after the disbursement date', 'INVALID_DATE');
  }
  return { principalMinor, disbursementDate, firstRepaymentDate };
}

function parseStep(json: unknown, step: number, currency: CurrencyCode, loan: ScenarioLoan, previousOn: BusinessDate, payCount: number): ScenarioStep {
  const path = `steps.${step}`;
  const object = readObject(json, path, ['on', ...STEP_KINDS]);
  const on = parseBusinessDate(object.on, `${path}.on`);
  if (on < previousOn) {
    throw validationError(`${path}.on`, previousOn === loan.disbursementDate && step === 1 ? 'must not be before the disbursement date' : `must not go backwards (the previous step is on ${previousOn})`, 'INVALID_DATE');
  }
  const kinds = STEP_KINDS.filter((kind) => object[kind] !== undefined);
  if (kinds.length !== 1) throw validationError(path, `must have exactly one of ${STEP_KINDS.join(', ')}`);
  const kind = kinds[0]!;
  const kindPath = `${path}.${kind}`;
  const value = object[kind];
  switch (kind) {
    case 'charge': {
      const charge = readObject(value, kindPath, ['kind', 'amount', 'dueDate', 'name']);
      const chargeKind = readEnum(charge, 'kind', kindPath, ['fee', 'penalty'] as const);
      const amountMinor = parseMoney(charge.amount, currency, { field: `${kindPath}.amount`, allowZero: false });
      const dueText = readOptionalString(charge, 'dueDate', kindPath);
      const dueDate = dueText === null ? on : parseBusinessDate(dueText, `${kindPath}.dueDate`);
      const name = readOptionalString(charge, 'name', kindPath) ?? (chargeKind === 'fee' ? 'Fee' : 'Penalty');
      if (name.length > 200) throw validationError(`${kindPath}.name`, 'must be at most 200 characters');
      return { kind, step, on, chargeKind, amountMinor, dueDate, name };
    }
    case 'pay': {
      const pay = readObject(value, kindPath, ['amount', 'date']);
      const amountMinor = parseMoney(pay.amount, currency, { field: `${kindPath}.amount`, allowZero: false });
      const dateText = readOptionalString(pay, 'date', kindPath);
      const date = dateText === null ? on : parseBusinessDate(dateText, `${kindPath}.date`);
      if (date > on) throw validationError(`${kindPath}.date`, 'must not be after the step\'s business date (a payment cannot be dated in the future)', 'INVALID_DATE');
      if (date < loan.disbursementDate) throw validationError(`${kindPath}.date`, 'must not be before the disbursement date', 'INVALID_DATE');
      return { kind, step, on, amountMinor, date };
    }
    case 'reverse': {
      const reverse = readObject(value, kindPath, ['payment']);
      const payment = readInteger(reverse, 'payment', kindPath, { min: 1 });
      if (payment > payCount) throw validationError(`${kindPath}.payment`, `must name an earlier pay step (there ${payCount === 1 ? 'is 1' : `are ${payCount}`} so far)`);
      return { kind, step, on, payment };
    }
    case 'pause': {
      const pause = readObject(value, kindPath, ['from', 'until', 'reason']);
      const from = parseBusinessDate(pause.from, `${kindPath}.from`);
      const untilText = readOptionalString(pause, 'until', kindPath);
      const until = untilText === null ? null : parseBusinessDate(untilText, `${kindPath}.until`);
      if (until !== null && until <= from) throw validationError(`${kindPath}.until`, 'must be after from', 'INVALID_DATE');
      const reason = readOptionalString(pause, 'reason', kindPath) ?? 'Scenario pause';
      return { kind, step, on, from, until, reason };
    }
    case 'eod':
    case 'resume':
    case 'snapshot':
      if (value !== true) throw validationError(kindPath, 'must be true');
      return { kind, step, on };
  }
}
