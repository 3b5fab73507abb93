import { type DatabaseHandle, openDatabase } from '../db/database.ts';
import type { BusinessDate } from '../shared/business-date.ts';
import { createTestClock } from '../shared/clock.ts';
import type { CurrencyCode } from '../shared/currency.ts';
import { formatFixedShortest } from '../shared/decimal.ts';
import { LenityError } from '../shared/errors.ts';
import { createIdGenerator, type IdGenerator } from '../shared/ids.ts';
import { formatMoney } from '../shared/money.ts';
import { createRandom } from '../shared/random.ts';
import { createBorrower } from '../lending/borrower.service.ts';
import { installmentOutstanding, installmentPaid, outstandingBalances } from '../lending/loan-state.ts';
import { addCharge, approveLoan, createLoan, disburseLoan, postPayment, reversePayment } from '../lending/loan.service.ts';
import { loadInstallments } from '../lending/loan.store.ts';
import { createProduct } from '../lending/product.service.ts';
import { classifyLoan, pauseAgeing, resumeAgeing } from '../delinquency/pause.service.ts';
import { runEndOfDayForLoans } from '../eod/eod.service.ts';
import { addDays } from '../shared/business-date.ts';
import { type Scenario, type ScenarioStep, parseScenario } from './scenario.ts';

export interface ScenarioPayment {
  principal: string;
  interest: string;
  fees: string;
  penalties: string;
  overpayment: string;
}

export interface ScenarioSnapshot {
  businessDate: BusinessDate;
  outstanding: { principal: string; interest: string; fees: string; penalties: string; total: string };
  pastDueDays: number;
  delinquentDays: number;
  range: string | null;
  installmentRanges: Array<{ range: string; amount: string }>;
  installments: Array<{ number: number; dueDate: string; principal: string; interest: string; fees: string; penalties: string; paid: string; outstanding: string }>;
}

export type ScenarioResult = { step: number; payment: ScenarioPayment } | { step: number; snapshot: ScenarioSnapshot };

export interface ScenarioOutcome {
  currency: CurrencyCode;
  results: ScenarioResult[];
}

/** Runs scenarios one after another on one in-memory database; each gets its own product, borrower and loan. */
export interface ScenarioRunner {
  run(json: unknown): Promise<ScenarioOutcome>;
  close(): Promise<void>;
}

/**
 * A runner for a batch: starting and migrating an in-memory database takes about a second, so a
 * batch shares one, and a new product, borrower and loan per scenario keep scenarios apart.
 *
 * @example const runner = createScenarioRunner(); try { await runner.run(json) } finally { await runner.close() }
 */
export function createScenarioRunner(): ScenarioRunner {
  let opened: Promise<DatabaseHandle> | null = null;
  // Ids only need to be unique and reproducible; a fixed clock and seed give both.
  const ids = createIdGenerator(createTestClock('2000-01-01T00:00:00Z'), createRandom(20231001));
  return {
    async run(json) {
      // Parsing first: an invalid scenario is refused without starting a database.
      const scenario = parseScenario(json);
      opened ??= openDatabase({ dataDir: 'memory' });
      return runParsedScenario(await opened, ids, scenario);
    },
    async close() {
      if (opened) await (await opened).close();
      opened = null;
    },
  };
}

/**
 * Runs one scenario (contract `lenity scenario run`) on a fresh in-memory database through the real
 * servicing and delinquency services, and leaves nothing behind.
 *
 * @example const { results } = await runScenario(JSON.parse(readFileSync('scenario.json', 'utf8')))
 */
export async function runScenario(json: unknown): Promise<ScenarioOutcome> {
  const runner = createScenarioRunner();
  try {
    return await runner.run(json);
  } finally {
    await runner.close();
  }
}

async function runParsedScenario(handle: DatabaseHandle, ids: IdGenerator, scenario: Scenario): Promise<ScenarioOutcome> {
  const db = handle.db;
  const dependencies = { db, ids };
  const { product, loan, currency } = scenario;
  const money = (value: bigint) => formatMoney(value, currency);
  const disbursementDate = loan.disbursementDate;
  const productJson = {
    name: 'Scenario product',
    terms: { ...product.scheduleJson },
    // The scenario names the principal; the product's range only has to admit it.
    principalRange: { min: money(1n), max: money(loan.principalMinor) },
    allocation: product.allocationText,
    agingGraceDays: product.agingGraceDays,
    delinquencyRanges: product.delinquencyRanges.map((range) => ({ code: range.code, minDays: range.minDays, ...(range.maxDays !== null ? { maxDays: range.maxDays } : {}) })),
  };
  const created = await atLoan('product', () => createProduct(db, ids, productJson, disbursementDate));
  const borrower = await createBorrower(db, ids, { fullName: 'Scenario Borrower', jurisdiction: 'US', language: 'en' });
  const application = await atLoan('loan', () =>
    createLoan(dependencies, {
      borrowerId: borrower.id,
      productId: created.id,
      principal: money(loan.principalMinor),
      disbursementDate,
      firstRepaymentDate: loan.firstRepaymentDate,
      ...(product.downPaymentPercent > 0n ? { downPaymentPercent: formatFixedShortest(product.downPaymentPercent) } : {}),
    }, disbursementDate),
  );
  const loanId = application.id;
  await approveLoan(dependencies, loanId, disbursementDate);
  await disburseLoan(dependencies, loanId, { businessDate: disbursementDate, idempotencyKey: `scenario-disburse-${loanId}`, date: disbursementDate });

  const paymentIds: string[] = [];
  const paymentSteps: number[] = [];
  // A scenario has no lender calendar: every day is a business day, so ageing dates are exact.
  const endOfDay = { db, ids, kind: handle.kind, calendar: { timeZone: 'UTC', weekendDays: [], holidays: new Set<string>(), rule: 'unchanged' as const } };
  let endOfDayThrough: BusinessDate | null = null;
  const snapshots = new Map<number, ScenarioSnapshot>();
  for (const step of scenario.steps) {
    await atStep(step, async () => {
      const key = `scenario-${loanId}-step-${step.step}`;
      switch (step.kind) {
        case 'charge':
          await addCharge(dependencies, loanId, { kind: step.chargeKind, name: step.name, amount: money(step.amountMinor), dueDate: step.dueDate, idempotencyKey: key, businessDate: step.on });
          return;
        case 'pay': {
          const payment = await postPayment(dependencies, loanId, { amount: money(step.amountMinor), date: step.date, idempotencyKey: key, businessDate: step.on });
          paymentIds.push(payment.body.id);
          paymentSteps.push(step.step);
          return;
        }
        case 'reverse':
          await reversePayment(dependencies, loanId, paymentIds[step.payment - 1]!, { idempotencyKey: key, businessDate: step.on });
          return;
        case 'eod':
          // The real end of day for every date since the last one run, through `on`.
          if (endOfDayThrough === null || step.on > endOfDayThrough) {
            await runEndOfDayForLoans(endOfDay, [loanId], endOfDayThrough === null ? disbursementDate : addDays(endOfDayThrough, 1), step.on);
            endOfDayThrough = step.on;
          }
          return;
        case 'pause':
          await pauseAgeing(db, ids, loanId, { from: step.from, until: step.until, reason: step.reason });
          return;
        case 'resume':
          await resumeAgeing(db, loanId, { on: step.on });
          return;
        case 'snapshot':
          snapshots.set(step.step, await snapshotOf(db, loanId, step.on, currency));
          return;
      }
    });
  }

  // Allocations as finally applied: a later back-dated payment or reversal may have rewritten them.
  const rows = paymentIds.length === 0 ? [] : await db.selectFrom('loan_transaction').selectAll().where('id', 'in', paymentIds).execute();
  const byId = new Map(rows.map((row) => [row.id, row]));
  const payments = new Map<number, ScenarioPayment>();
  paymentIds.forEach((id, index) => {
    const row = byId.get(id)!;
    payments.set(paymentSteps[index]!, {
      principal: money(row.principal_minor),
      interest: money(row.interest_minor),
      fees: money(row.fee_minor),
      penalties: money(row.penalty_minor),
      overpayment: money(row.overpayment_minor),
    });
  });
  const results: ScenarioResult[] = [];
  for (const step of scenario.steps) {
    const payment = payments.get(step.step);
    if (payment) results.push({ step: step.step, payment });
    const snapshot = snapshots.get(step.step);
    if (snapshot) results.push({ step: step.step, snapshot });
  }
  return { currency, results };
}

async function snapshotOf(db: DatabaseHandle['db'], loanId: string, businessDate: BusinessDate, currency: CurrencyCode): Promise<ScenarioSnapshot> {
  const money = (value: bigint) => formatMoney(value, currency);
  const installments = await loadInstallments(db, loanId);
  const classification = await classifyLoan(db, loanId, businessDate);
  const balances = outstandingBalances(installments);
  return {
    businessDate,
    outstanding: { principal: money(balances.principalMinor), interest: money(balances.interestMinor), fees: money(balances.feeMinor), penalties: money(balances.penaltyMinor), total: money(balances.totalMinor) },
    pastDueDays: classification.pastDueDays,
    delinquentDays: classification.delinquentDays,
    range: classification.range,
    installmentRanges: classification.installmentRanges.map((entry) => ({ range: entry.range, amount: money(entry.amountMinor) })),
    installments: installments.map((installment) => ({
      number: installment.number,
      dueDate: installment.dueDate,
      principal: money(installment.principalMinor),
      interest: money(installment.interestMinor),
      fees: money(installment.feeMinor - installment.feeWaivedMinor),
      penalties: money(installment.penaltyMinor - installment.penaltyWaivedMinor),
      paid: money(installmentPaid(installment)),
      outstanding: money(installmentOutstanding(installment)),
    })),
  };
}

const STEP_FIELDS = ['amount', 'date', 'dueDate', 'from', 'until'];

/** Runs a step; a refusal by the services is reported as an error of that step. */
async function atStep(step: ScenarioStep, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof LenityError)) throw error;
    // A service names its own input field (amount, date…); those map onto the step's fields, anything
    // else (a loan state, a payment id) is about the step as a whole.
    const inner = error.field;
    const stepField = inner !== undefined && STEP_FIELDS.includes(inner) ? `.${inner}` : '';
    const field = `steps.${step.step}.${step.kind}${stepField}`;
    throw new LenityError(error.code, `step ${step.step} (${step.kind} on ${step.on}): ${error.message}`, { ...error.details, field, step: step.step });
  }
}

/** Creating the product or loan: a refusal names the scenario part it came from. */
async function atLoan<T>(part: 'product' | 'loan', work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof LenityError)) throw error;
    const inner = error.field?.replace(/^terms\./, '');
    throw new LenityError(error.code, `${part}: ${error.message}`, { ...error.details, field: inner ? `${part}.${inner}` : part });
  }
}
