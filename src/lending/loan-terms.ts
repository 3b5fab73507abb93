import type { BusinessDate } from '../shared/business-date.ts';
import { type Fixed, applyRate, divideFixed, formatFixedShortest, formatFixed, ONE } from '../shared/decimal.ts';
import { LenityError, validationError } from '../shared/errors.ts';
import type { JsonObject } from '../shared/input.ts';
import { formatMoney } from '../shared/money.ts';
import { annualPercentageRate } from './apr.ts';
import { newInstallment, type InstallmentState } from './loan-state.ts';
import { type FeeRule, type Product, formatProduct, parseProduct } from './product.ts';
import { generateSchedule, rescheduleRemaining, scheduleCashFlows, type Schedule } from './schedule.ts';
import { parseScheduleTerms, type ScheduleTerms } from './schedule-terms.ts';
import type { ServicingRules } from './servicing.ts';

/**
 * A loan's terms: its own schedule terms and a snapshot of the product it was sold under, so that a
 * later change to the product never changes a loan already made.
 */
export interface LoanTerms {
  schedule: ScheduleTerms;
  product: Product;
}

export interface LoanRequestTerms {
  principalMinor: bigint;
  numberOfRepayments?: number;
  disbursementDate: BusinessDate;
  firstRepaymentDate?: BusinessDate | null;
  /** Share of the principal due on the disbursement date as installment 1 (percent); the product's when absent. */
  downPaymentPercent?: Fixed;
}

/** Builds a loan's schedule terms from its product and request, checking the product's ranges. */
export function loanTermsFor(product: Product, request: LoanRequestTerms): LoanTerms {
  if (request.principalMinor < product.principalMinimumMinor || request.principalMinor > product.principalMaximumMinor) {
    const currency = product.terms.currency;
    throw new LenityError(
      'OUT_OF_RANGE',
      `principal must be between ${formatMoney(product.principalMinimumMinor, currency)} and ${formatMoney(product.principalMaximumMinor, currency)} ${currency}`,
      { field: 'principal' },
    );
  }
  const numberOfRepayments = request.numberOfRepayments ?? product.terms.numberOfRepayments;
  if (numberOfRepayments < product.repaymentsMinimum || numberOfRepayments > product.repaymentsMaximum) {
    throw new LenityError('OUT_OF_RANGE', `numberOfRepayments must be between ${product.repaymentsMinimum} and ${product.repaymentsMaximum}`, {
      field: 'numberOfRepayments',
    });
  }
  if (request.firstRepaymentDate && request.firstRepaymentDate <= request.disbursementDate) {
    throw validationError('firstRepaymentDate', 'must be after the disbursement date', 'INVALID_DATE');
  }
  return {
    product,
    schedule: {
      ...product.terms,
      numberOfRepayments,
      principalMinor: request.principalMinor,
      disbursementDate: request.disbursementDate,
      firstRepaymentDate: request.firstRepaymentDate ?? null,
      downPaymentPercent: request.downPaymentPercent ?? product.terms.downPaymentPercent,
    },
  };
}

/** The amount of a fee rule applied to a base amount, capped by its minimum and maximum. */
export function feeAmount(rule: FeeRule, baseMinor: bigint, roundingMode: ScheduleTerms['roundingMode']): bigint {
  if (rule.kind === 'fixed') return rule.amountMinor;
  let amount = applyRate(baseMinor, rule.percent / 100n, roundingMode);
  if (rule.minimumMinor !== null && amount < rule.minimumMinor) amount = rule.minimumMinor;
  if (rule.maximumMinor !== null && amount > rule.maximumMinor) amount = rule.maximumMinor;
  return amount;
}

export function originationFeeMinor(terms: LoanTerms): bigint {
  return terms.product.originationFee ? feeAmount(terms.product.originationFee, terms.schedule.principalMinor, terms.schedule.roundingMode) : 0n;
}

/**
 * The annual percentage rate the borrower pays, origination fee included (it is charged with the
 * first installment), by the actuarial method.
 */
export function loanAnnualPercentageRate(terms: LoanTerms, schedule: Schedule = generateSchedule(terms.schedule)): Fixed {
  const flows = scheduleCashFlows(terms.schedule, schedule);
  // The nominal rate per period is the answer but for the fee, an irregular first period and
  // installments rounded to the cent: the search for the rate starts there and needs fewer steps.
  const nominalPeriodRate = divideFixed(terms.schedule.annualRatePercent, 100n * flows.periodsPerYear);
  const feeMinor = originationFeeMinor(terms);
  if (feeMinor > 0n && flows.payments.length > 0) {
    const [first, ...rest] = flows.payments;
    return annualPercentageRate({ ...flows, payments: [{ ...first!, amountMinor: first!.amountMinor + feeMinor }, ...rest] }, nominalPeriodRate);
  }
  return annualPercentageRate(flows, nominalPeriodRate);
}

/** Refuses terms whose APR would exceed the product's legal cap, naming the cap. */
export function assertWithinRateCap(terms: LoanTerms, aprPercent: Fixed, field = 'annualRate'): void {
  const cap = terms.product.rateCapPercent;
  if (cap !== null && aprPercent > cap) {
    throw new LenityError(
      'RATE_CAP_EXCEEDED',
      `The annual percentage rate ${formatFixed(aprPercent, 2)}% exceeds the legal cap of ${formatFixedShortest(cap)}% for this product`,
      { field, capPercent: formatFixedShortest(cap), aprPercent: formatFixed(aprPercent, 2) },
    );
  }
}

/**
 * Checks a product against its rate cap at the corners of its ranges (smallest and largest
 * principal, shortest and longest term), where the APR with fees is highest.
 */
export function assertProductWithinRateCap(product: Product, referenceDate: BusinessDate): void {
  if (product.rateCapPercent === null) return;
  for (const principalMinor of [product.principalMinimumMinor, product.principalMaximumMinor]) {
    for (const numberOfRepayments of [product.repaymentsMinimum, product.repaymentsMaximum]) {
      const terms = loanTermsFor(product, { principalMinor, numberOfRepayments, disbursementDate: referenceDate });
      assertWithinRateCap(terms, loanAnnualPercentageRate(terms), 'rateCap');
    }
  }
}

/** The schedule as the servicing core keeps it: installments with nothing paid yet. */
export function initialInstallments(schedule: Schedule): InstallmentState[] {
  return schedule.installments.map((row) => newInstallment(row.number, row.fromDate, row.dueDate, row.principalMinor, row.interestMinor));
}

/** Servicing rules of a loan: the product's allocation and prepayment, and re-amortisation by its terms. */
export function servicingRulesFor(terms: LoanTerms): ServicingRules {
  return {
    allocationOrder: terms.product.allocationOrder,
    prepaymentMode: terms.product.prepaymentMode,
    earlyPayoffInterest: terms.product.earlyPayoffInterest,
    roundingMode: terms.schedule.roundingMode,
    reamortize: (request) =>
      rescheduleRemaining(terms.schedule, request).map((row) => ({
        fromDate: row.fromDate,
        dueDate: row.dueDate,
        principalMinor: row.principalMinor,
        interestMinor: row.interestMinor,
      })),
  };
}

/** Stored form of loan terms (JSON), read back with `parseLoanTerms`. */
export function formatLoanTerms(terms: LoanTerms): JsonObject {
  const schedule = terms.schedule;
  const productJson = formatProduct(terms.product);
  return {
    schedule: {
      ...(productJson.terms as JsonObject),
      numberOfRepayments: schedule.numberOfRepayments,
      principal: formatMoney(schedule.principalMinor, schedule.currency),
      disbursementDate: schedule.disbursementDate,
      firstRepaymentDate: schedule.firstRepaymentDate,
    },
    downPaymentPercent: formatFixedShortest(schedule.downPaymentPercent),
    product: productJson,
  };
}

const PARSED_TERMS_LIMIT = 10_000;
const parsedTermsByLoan = new Map<string, LoanTerms>();

/**
 * A disbursed loan's parsed terms, cached by loan id: terms are written at disbursement and never
 * change after, and parsing them on every payment would cost more than the payment itself.
 */
export function parseDisbursedLoanTerms(loan: { id: string; disbursed_on: string | null; terms: unknown }): LoanTerms {
  if (loan.disbursed_on === null) return parseLoanTerms(loan.terms);
  let terms = parsedTermsByLoan.get(loan.id);
  if (!terms) {
    terms = parseLoanTerms(loan.terms);
    if (parsedTermsByLoan.size >= PARSED_TERMS_LIMIT) parsedTermsByLoan.delete(parsedTermsByLoan.keys().next().value!);
    parsedTermsByLoan.set(loan.id, terms);
  }
  return terms;
}

export function parseLoanTerms(json: unknown): LoanTerms {
  const object = json as JsonObject;
  const schedule = parseScheduleTerms(object.schedule);
  const downPayment = typeof object.downPaymentPercent === 'string' ? object.downPaymentPercent : '0';
  const [whole = '0', fraction = ''] = downPayment.split('.');
  const downPaymentPercent = BigInt(whole) * ONE + (fraction ? BigInt(fraction.padEnd(30, '0')) : 0n);
  return { schedule: { ...schedule, downPaymentPercent }, product: parseProduct(object.product) };
}

/** The installment whose period contains `date` (or the last one), for attaching a charge. */
export function installmentNumberFor(installments: readonly InstallmentState[], date: BusinessDate): number {
  for (const installment of installments) {
    if (date <= installment.dueDate && (date > installment.fromDate || installment.fromDate === installment.dueDate || installment.number === 1)) {
      return installment.number;
    }
  }
  return installments.at(-1)?.number ?? 1;
}

