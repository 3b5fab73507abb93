import { sql } from 'kysely';
import { arrayParameter } from '../db/array-parameter.ts';
import type { Executor } from '../db/transaction.ts';
import { addDays, type BusinessDate } from '../shared/business-date.ts';
import type { CurrencyCode } from '../shared/currency.ts';
import { LenityError } from '../shared/errors.ts';
import type { IdGenerator } from '../shared/ids.ts';
import { formatMoney } from '../shared/money.ts';
import { createRandom } from '../shared/random.ts';
import { divideRounded } from '../shared/rounding.ts';
import { prepareLoansInBulk, writePreparedLoans } from '../lending/bulk.service.ts';
import { type BatchPayment, postPaymentBatch } from '../lending/payment-batch.service.ts';
import { createProduct, getProduct } from '../lending/product.service.ts';
import { syntheticBorrower } from '../lending/synthetic-borrowers.ts';
import { behaviourOf, planPayment, seedFor } from './payment-simulator.ts';

/**
 * Loans opened per transaction while seeding: few enough that building the first chunk and writing
 * the last, which nothing else overlaps, take little time.
 */
export const SEED_CHUNK_LOANS = 1000;
/** Most loans one seed creates. */
export const MAX_SEED_LOANS = 10_000_000;

/** The product of the synthetic book: a 12-month CNY personal loan with late fee and penalty interest. */
export const SYNTHETIC_PRODUCT = {
  name: '信用贷 12期 (synthetic book)',
  terms: { currency: 'CNY', annualRate: '18', numberOfRepayments: 12 },
  principalRange: { min: '1000.00', max: '200000.00' },
  repaymentsRange: { min: 6, max: 24 },
  lateFee: { percent: '5', capPerInstallment: '50.00', capPerLoan: '200.00' },
  penaltyAnnualRate: '9',
  agingGraceDays: 3,
  prepayment: 'reduce-term',
  earlyPayoffInterest: 'accrued',
  rateCap: '24',
};

/**
 * Chunks written at the same time, each in its own transaction on its own connection: the database
 * works on one statement with one process, so a second chunk keeps a second one busy.
 */
const SEED_CHUNKS_WRITTEN_AT_ONCE = 2;

/**
 * Seeds a synthetic book: `loans` borrowers and disbursed loans, disbursed over the 30 days before
 * `today` so that due dates spread over the month, in chunks of SEED_CHUNK_LOANS (or `chunkLoans`)
 * with one transaction each. Each borrower's behaviour profile follows from the seed and the loan id.
 *
 * A chunk is built while the ones before it are written, and two are written at once, so that the
 * schedule arithmetic and the database work at the same time. The rows are those of building and
 * writing chunk after chunk: every id is drawn while building, and the chunks take their turns in
 * the sequence of loan transactions. At most three chunks are held at once.
 *
 * @example await seedSyntheticBook(db, ids, { loans: 100_000, seed: 7, today: '2026-03-09', onProgress })
 */
export async function seedSyntheticBook(
  db: Executor,
  ids: IdGenerator,
  options: { loans: number; seed: number; today: BusinessDate; chunkLoans?: number; onProgress?: (done: number, total: number) => void },
): Promise<{ productId: string; loans: number }> {
  if (!Number.isSafeInteger(options.loans) || options.loans < 1 || options.loans > MAX_SEED_LOANS) throw new LenityError('VALIDATION_FAILED', `loans: must be from 1 to ${MAX_SEED_LOANS}`, { field: 'loans' });
  const chunkLoans = options.chunkLoans ?? SEED_CHUNK_LOANS;
  const random = createRandom(options.seed);
  const created = await createProduct(db, ids, SYNTHETIC_PRODUCT, addDays(options.today, -30));
  const product = (await getProduct(db, created.id)).product;
  let built = 0;
  let written = 0;
  const writes = new Set<Promise<void>>();
  let previousTransactionsWritten: Promise<void> = Promise.resolve();
  try {
    while (built < options.loans) {
      const count = Math.min(chunkLoans, options.loans - built);
      const chunk = await prepareLoansInBulk(ids, {
        productId: created.id,
        product,
        loans: Array.from({ length: count }, () => ({
          borrower: syntheticBorrower(random, 'CN'),
          principalMinor: BigInt(random.integerBetween(10, 500)) * 10000n,
          numberOfRepayments: random.pick([6, 12, 12, 12, 24]),
          disbursementDate: addDays(options.today, -random.integerBetween(1, 30)),
        })),
        businessDate: options.today,
      });
      built += count;
      while (writes.size >= SEED_CHUNKS_WRITTEN_AT_ONCE) await Promise.race(writes);
      let transactionsWritten!: () => void;
      const turn = { previous: previousTransactionsWritten, done: () => transactionsWritten() };
      previousTransactionsWritten = new Promise<void>((resolve) => (transactionsWritten = resolve));
      const write = writePreparedLoans(db, ids, chunk, turn).then(() => {
        written += count;
        options.onProgress?.(written, options.loans);
      });
      writes.add(write);
      // A failed write stays in the set, for the next race or the final wait to report; until then
      // its failure must not count as unhandled.
      write.then(() => writes.delete(write), () => undefined);
    }
    await Promise.all(writes);
  } catch (error) {
    // No write is left running behind the caller's back.
    await Promise.allSettled(writes);
    throw error;
  }
  return { productId: created.id, loans: options.loans };
}

/** Loans considered per query while simulating payments. */
const SIMULATION_PAGE = 2000;

/**
 * Simulates one day of borrower payments: every active loan with something due by `businessDate`
 * (found through its oldest unpaid due date, so the cost follows what is due, not the book) asks its
 * behaviour whether it pays today; the day's payments go through the real payment batch service.
 *
 * @example const { payments } = await simulatePayments({ db, ids }, { seed: 7, businessDate: '2026-03-09' })
 */
export async function simulatePayments(dependencies: { db: Executor; ids: IdGenerator }, options: { seed: number; businessDate: BusinessDate }): Promise<{ payments: number }> {
  const { db } = dependencies;
  const date = options.businessDate;
  let payments = 0;
  // The loans with something due are listed once (ids only), then read a page at a time: paging
  // the filtered loan table by a cursor would scan every due loan again for each page.
  const due = await sql<{ id: string }>`
    SELECT id FROM loan WHERE status = 'active' AND oldest_unpaid_due_date <= ${date}::date ORDER BY id`.execute(db);
  for (let start = 0; start < due.rows.length; start += SIMULATION_PAGE) {
    const page = due.rows.slice(start, start + SIMULATION_PAGE).map((row) => row.id);
    // Each loan's installments through its own index lookup: joined as sets, the planner (whose
    // sampled statistics see a hundred installments per loan) reads the whole installment table to
    // hash it for a page of two thousand loans. OFFSET 0 keeps the LATERAL subquery from being
    // flattened back into that join.
    const rows = await sql<{ id: string; currency: string; number: number; due_date: string; owed: bigint }>`
      SELECT l.id, l.currency, i.number, i.due_date::text AS due_date, i.owed
        FROM loan l
        CROSS JOIN LATERAL (
          SELECT number, due_date,
                 (principal_minor - principal_paid_minor + interest_minor - interest_paid_minor + fee_minor - fee_paid_minor - fee_waived_minor
                  + penalty_minor - penalty_paid_minor - penalty_waived_minor)::int8 AS owed
            FROM installment WHERE loan_id = l.id AND due_date <= ${date}::date AND completed_on IS NULL OFFSET 0) i
       WHERE l.id = ANY(${arrayParameter(page, 'text')})
       ORDER BY l.id, i.number`.execute(db);
    const byLoan = new Map<string, typeof rows.rows>();
    for (const row of rows.rows) byLoan.set(row.id, [...(byLoan.get(row.id) ?? []), row]);
    const batch: BatchPayment[] = [];
    for (const [loanId, installments] of byLoan) {
      const behaviour = behaviourOf(createRandom(seedFor(options.seed, loanId)));
      const oldest = installments[0]!;
      const plan = planPayment(behaviour, oldest.number, oldest.due_date as BusinessDate, createRandom(seedFor(options.seed, `${loanId}/${oldest.due_date}`)));
      if (plan.payOn === null || plan.payOn > date) continue;
      // A payment covers every installment due by today (a late payer catches up), or half of it.
      const owedMinor = installments.reduce((total, installment) => total + BigInt(installment.owed), 0n);
      const amountMinor = plan.share === 'all' ? owedMinor : divideRounded(owedMinor, 2n, 'down');
      if (amountMinor <= 0n) continue;
      batch.push({ loanId, amount: formatMoney(amountMinor, oldest.currency as CurrencyCode), idempotencyKey: `simulated-${loanId}-${date}` });
    }
    // The day's payments arrive as a bank's collection file would: one batch per page.
    if (batch.length > 0) {
      const result = await postPaymentBatch(dependencies, { businessDate: date, payments: batch });
      const refused = result.payments.find((outcome) => outcome.outcome === 'refused');
      if (refused) throw new LenityError('INVALID_STATE', `A simulated payment was refused: ${refused.loanId}: ${'detail' in refused ? refused.detail : ''}`);
      payments += result.created;
    }
  }
  return { payments };
}
