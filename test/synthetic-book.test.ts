import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../src/db/database.ts';
import { SYNTHETIC_PRODUCT, seedSyntheticBook } from '../src/eod/synthetic-book.service.ts';
import { openLoansInBulk } from '../src/lending/bulk.service.ts';
import { createProduct, getProduct } from '../src/lending/product.service.ts';
import { syntheticBorrower } from '../src/lending/synthetic-borrowers.ts';
import { addDays, type BusinessDate } from '../src/shared/business-date.ts';
import { DATABASE_KIND, openTestDatabase } from './support/database.ts';
import { testDependencies } from './support/fixtures.ts';

const TODAY = '2026-03-02' as BusinessDate;
const LOANS = 47;
const CHUNK_LOANS = 10;

/** Every row the seed writes, without the insert times. */
async function bookRows(handle: DatabaseHandle): Promise<Record<string, unknown[]>> {
  const tables = { product: 'id', borrower: 'id', loan: 'id', installment: 'loan_id, number', loan_charge: 'id', loan_transaction: 'id', journal_entry: 'id', journal_line: 'entry_id, line_number' };
  const rows: Record<string, unknown[]> = {};
  for (const [table, order] of Object.entries(tables)) {
    const result = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)} ORDER BY ${sql.raw(order)}`.execute(handle.db);
    rows[table] = result.rows.map(({ created_at: _insertedAt, ...row }) => row);
  }
  return rows;
}

describe(`synthetic book on ${DATABASE_KIND}`, () => {
  let seeded: DatabaseHandle;
  let reference: DatabaseHandle;
  beforeAll(async () => {
    seeded = await openTestDatabase();
    reference = await openTestDatabase();
  });
  afterAll(async () => {
    await seeded.close();
    await reference.close();
  });

  it('writes, with chunks built and written at the same time, the rows of writing chunk after chunk', async () => {
    const progress: number[] = [];
    await seedSyntheticBook(seeded.db, testDependencies(7).ids, { loans: LOANS, seed: 3, today: TODAY, chunkLoans: CHUNK_LOANS, onProgress: (done) => progress.push(done) });
    expect(progress.at(-1)).toBe(LOANS);

    // The same draws, each chunk opened and written before the next is built.
    const { ids } = testDependencies(7);
    const { random } = testDependencies(3);
    const created = await createProduct(reference.db, ids, SYNTHETIC_PRODUCT, addDays(TODAY, -30));
    const product = (await getProduct(reference.db, created.id)).product;
    for (let opened = 0; opened < LOANS; opened += CHUNK_LOANS) {
      const loans = Array.from({ length: Math.min(CHUNK_LOANS, LOANS - opened) }, () => ({
        borrower: syntheticBorrower(random, 'CN'),
        principalMinor: BigInt(random.integerBetween(10, 500)) * 10000n,
        numberOfRepayments: random.pick([6, 12, 12, 12, 24]),
        disbursementDate: addDays(TODAY, -random.integerBetween(1, 30)),
      }));
      await openLoansInBulk(reference.db, ids, { productId: created.id, product, loans, businessDate: TODAY });
    }

    const seededRows = await bookRows(seeded);
    expect(seededRows.loan).toHaveLength(LOANS);
    expect(seededRows).toEqual(await bookRows(reference));
  });
});
