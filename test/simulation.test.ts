import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../src/db/database.ts';
import { addDays, type BusinessDate } from '../src/shared/business-date.ts';
import { createRandom } from '../src/shared/random.ts';
import { createIdGenerator } from '../src/shared/ids.ts';
import { createTestClock } from '../src/shared/clock.ts';
import { formatMoney } from '../src/shared/money.ts';
import type { CurrencyCode } from '../src/shared/currency.ts';
import { createProduct, getProduct } from '../src/lending/product.service.ts';
import { openLoansInBulk } from '../src/lending/bulk.service.ts';
import { syntheticBorrower } from '../src/lending/synthetic-borrowers.ts';
import { addCharge, postPayment, reversePayment, waiveCharge } from '../src/lending/loan.service.ts';
import { verifyServicing } from '../src/lending/verify.service.ts';
import { portfolioPositionMismatches } from '../src/collections/reports.store.ts';
import { LenityError } from '../src/shared/errors.ts';
import { DATABASE_KIND, openTestDatabase } from './support/database.ts';
import { personalLoanProduct } from './support/fixtures.ts';

const SEED = Number(process.env.SIMULATION_SEED ?? Math.floor(Math.random() * 2 ** 31));
const LOANS = 10_000;
const OPERATIONS = Number(process.env.SIMULATION_OPERATIONS ?? 1500);
const CONCURRENCY = 8;

/**
 * A seeded simulation: 10,000 loans, then random payments, back-dated payments, prepayments,
 * reversals, charges and waivers through the real services, with every invariant proven at the end
 * against the ledger and against an independent tally of the money that moved.
 */
describe(`seeded servicing simulation on ${DATABASE_KIND} (seed ${SEED})`, () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openTestDatabase();
  });
  afterAll(async () => handle.close());

  it(`keeps every invariant over ${LOANS} loans and ${OPERATIONS} random operations`, async () => {
    try {
      const random = createRandom(SEED);
      const clock = createTestClock('2026-01-01T00:00:00Z');
      const ids = createIdGenerator(clock, random);
      const services = { db: handle.db, ids };
      const start = '2026-01-01' as BusinessDate;
      const products = await Promise.all([
        createProduct(handle.db, ids, personalLoanProduct({ prepayment: 'reduce-term' }), start),
        createProduct(handle.db, ids, personalLoanProduct({ name: 'Reduce installment', prepayment: 'reduce-installment', earlyPayoffInterest: 'scheduled' }), start),
        createProduct(handle.db, ids, personalLoanProduct({ name: 'Pay ahead', prepayment: 'next-installments', allocation: 'interest-principal-penalties-fees' }), start),
      ]);
      const loanIds: string[] = [];
      for (const [index, product] of products.entries()) {
        const count = index === 0 ? LOANS - 2 * Math.floor(LOANS / 3) : Math.floor(LOANS / 3);
        const loaded = await getProduct(handle.db, product.id);
        const loans = Array.from({ length: count }, () => ({
          borrower: syntheticBorrower(random, 'CN'),
          principalMinor: BigInt(random.integerBetween(10, 500)) * 10000n,
          numberOfRepayments: random.integerBetween(6, 24),
          disbursementDate: addDays(start, random.integerBetween(0, 30)),
        }));
        loanIds.push(...(await openLoansInBulk(handle.db, ids, { productId: product.id, product: loaded.product, loans })));
      }
      expect(loanIds).toHaveLength(LOANS);

      const payments = new Map<string, string[]>();
      const charges = new Map<string, string[]>();
      let businessDate = addDays(start, 31);
      let expectedReceivedMinor = 0n;
      let operationsDone = 0;
      while (operationsDone < OPERATIONS) {
        businessDate = addDays(businessDate, random.integerBetween(0, 2));
        const batch = new Set<string>();
        while (batch.size < CONCURRENCY) batch.add(random.pick(loanIds));
        const results = await Promise.all(
          [...batch].map(async (loanId) => {
            const roll = random.next();
            const key = `sim-${operationsDone}-${loanId}`;
            try {
              if (roll < 0.55) {
                const amount = BigInt(random.integerBetween(1, 2000)) * 100n + BigInt(random.integerBetween(0, 99));
                const result = await postPayment(services, loanId, { amount: formatMoney(amount, 'CNY' as CurrencyCode), idempotencyKey: key, businessDate });
                payments.set(loanId, [...(payments.get(loanId) ?? []), result.body.id]);
                return amount;
              }
              if (roll < 0.65) {
                const amount = BigInt(random.integerBetween(100, 1500)) * 100n;
                const date = addDays(businessDate, -random.integerBetween(1, 25));
                const result = await postPayment(services, loanId, { amount: formatMoney(amount, 'CNY' as CurrencyCode), date: date < '2026-02-01' ? '2026-02-01' : date, idempotencyKey: key, businessDate });
                payments.set(loanId, [...(payments.get(loanId) ?? []), result.body.id]);
                return amount;
              }
              if (roll < 0.72) {
                // A large prepayment: re-amortisation or payoff, by the product.
                const amount = BigInt(random.integerBetween(5000, 60000)) * 100n;
                const result = await postPayment(services, loanId, { amount: formatMoney(amount, 'CNY' as CurrencyCode), idempotencyKey: key, businessDate });
                payments.set(loanId, [...(payments.get(loanId) ?? []), result.body.id]);
                return amount;
              }
              if (roll < 0.85) {
                const list = payments.get(loanId) ?? [];
                if (list.length === 0) return 0n;
                const paymentId = random.pick(list);
                const reversed = await reversePayment(services, loanId, paymentId, { idempotencyKey: key, businessDate });
                payments.set(loanId, list.filter((id) => id !== paymentId));
                return -BigInt(reversed.body.amount.replace('.', ''));
              }
              if (roll < 0.95) {
                const result = await addCharge(services, loanId, { kind: random.chance(0.5) ? 'fee' : 'penalty', name: 'Simulated charge', amount: `${random.integerBetween(1, 80)}.00`, idempotencyKey: key, businessDate });
                charges.set(loanId, [...(charges.get(loanId) ?? []), result.body.id]);
                return 0n;
              }
              const list = charges.get(loanId) ?? [];
              if (list.length > 0) await waiveCharge(services, loanId, random.pick(list), { idempotencyKey: key, businessDate, reason: 'simulated goodwill' });
              return 0n;
            } catch (error) {
              // Closed loans refuse payments and paid charges cannot be waived: both are correct refusals.
              if (error instanceof LenityError && error.code === 'INVALID_STATE') return 0n;
              throw error;
            }
          }),
        );
        for (const moved of results) expectedReceivedMinor += moved;
        operationsDone += batch.size;
      }

      for (const check of await verifyServicing(handle.db)) expect(check.failures, check.name).toEqual([]);
      // The running portfolio position, kept by the loan table's triggers through concurrent
      // payments, reversals and charges, counts the book as a full read does.
      expect(await portfolioPositionMismatches(handle.db)).toEqual([]);
      // Independent tally: the cash the ledger received equals the payments the simulation made.
      const cash = await sql<{ total: bigint }>`SELECT coalesce(sum(amount_minor), 0)::int8 AS total FROM journal_line WHERE account = 'settlement-cash'`.execute(handle.db);
      const disbursed = await sql<{ total: bigint }>`SELECT coalesce(sum(principal_minor), 0)::int8 AS total FROM loan`.execute(handle.db);
      expect(BigInt(cash.rows[0]!.total)).toBe(expectedReceivedMinor - BigInt(disbursed.rows[0]!.total));
    } catch (error) {
      console.error(`Simulation failed with seed ${SEED}; rerun with SIMULATION_SEED=${SEED}`);
      throw error;
    }
  }, 600_000);
});
