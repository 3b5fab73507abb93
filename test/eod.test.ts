import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../src/db/database.ts';
import { addDays, type BusinessDate } from '../src/shared/business-date.ts';
import { createTestClock } from '../src/shared/clock.ts';
import type { IdGenerator } from '../src/shared/ids.ts';
import { createRandom } from '../src/shared/random.ts';
import { openLoansInBulk } from '../src/lending/bulk.service.ts';
import { createBorrower } from '../src/lending/borrower.service.ts';
import { approveLoan, createLoan, disburseLoan, postPayment } from '../src/lending/loan.service.ts';
import { createProduct, getProduct } from '../src/lending/product.service.ts';
import { syntheticBorrower } from '../src/lending/synthetic-borrowers.ts';
import { verifyServicing } from '../src/lending/verify.service.ts';
import { pauseAgeing, resumeAgeing } from '../src/delinquency/pause.service.ts';
import { runEndOfDay, runEndOfDayUntil } from '../src/eod/eod.service.ts';
import { readEvents } from '../src/eod/event.store.ts';
import { main } from '../src/cli/main.ts';
import { createMemoryIo } from '../src/cli/io.ts';
import { DATABASE_KIND, openTestDatabase } from './support/database.ts';
import { borrowerInput, personalLoanProduct, testDependencies } from './support/fixtures.ts';
import { bookFingerprint, endOfDayDependencies } from './support/eod.ts';

const day = (text: string) => text as BusinessDate;
const START = day('2026-01-05');
const FIRST_DUE = day('2026-02-05');
const PRODUCT = personalLoanProduct({
  name: 'End of day product',
  originationFee: null,
  lateFee: { amount: '20.00', capPerLoan: '60.00' },
  penaltyAnnualRate: '18',
  agingGraceDays: 3,
});
const POSTGRES_URL = process.env.DATABASE_URL?.trim();

/** A book of `count` loans disbursed on START, with ids reproducible from the seed. */
async function seedBook(handle: DatabaseHandle, count: number, seed: number): Promise<{ ids: IdGenerator; loanIds: string[] }> {
  const { ids, random } = testDependencies(seed);
  const product = await createProduct(handle.db, ids, PRODUCT, START);
  const loaded = await getProduct(handle.db, product.id);
  const loanIds = await openLoansInBulk(handle.db, ids, {
    productId: product.id, product: loaded.product,
    loans: Array.from({ length: count }, (_, index) => ({ borrower: syntheticBorrower(random, 'CN'), principalMinor: BigInt(200000 + index * 100), numberOfRepayments: 12, disbursementDate: START })),
  });
  return { ids, loanIds };
}

/** Where a child process finds the database: a schema on the server, or a PGlite folder. */
function childEnvironment(location: { schema?: string; dataDir?: string }, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = { ...process.env, ...extra };
  if (location.schema) environment.LENITY_DATABASE_SCHEMA = location.schema;
  else {
    delete environment.DATABASE_URL;
    environment.LENITY_DATA = location.dataDir!;
  }
  return environment;
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

async function openLocation(location: { schema?: string; dataDir?: string }): Promise<DatabaseHandle> {
  return location.schema ? openDatabase({ url: POSTGRES_URL!, schema: location.schema }) : openDatabase({ dataDir: location.dataDir! });
}

describe(`end of day on ${DATABASE_KIND}`, () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('re-classifies a loan at once on payment, resumes ageing after a pause, and keeps the fee on a back-dated payment', async () => {
    const handle = await openTestDatabase();
    cleanups.push(() => handle.close());
    const { ids } = testDependencies(5);
    const dependencies = { db: handle.db, ids };
    const product = await createProduct(handle.db, ids, PRODUCT, START);
    const borrower = await createBorrower(handle.db, ids, borrowerInput());
    const loan = await createLoan(dependencies, { borrowerId: borrower.id, productId: product.id, principal: '6000.00', numberOfRepayments: 6 }, START);
    await approveLoan(dependencies, loan.id, START);
    await disburseLoan(dependencies, loan.id, { businessDate: START, idempotencyKey: 'd' });
    const eod = endOfDayDependencies(handle, ids);
    const row = () => handle.db.selectFrom('loan').selectAll().where('id', '=', loan.id).executeTakeFirstOrThrow();
    expect((await row()).next_event_date).toBe(FIRST_DUE);

    // Three months unpaid: B3 territory after the grace.
    const through = addDays(FIRST_DUE, 3 + 61);
    await runEndOfDayUntil(eod, through);
    expect(await row()).toMatchObject({ bucket: 'B3', delinquent_days: 61 });
    const fees = await handle.db.selectFrom('loan_charge').selectAll().where('loan_id', '=', loan.id).where('name', '=', 'Late fee').execute();
    expect(fees.length).toBe(3);

    // Paying the two oldest installments moves the loan back two buckets at once, before any end of day.
    const installments = await handle.db.selectFrom('installment').selectAll().where('loan_id', '=', loan.id).orderBy('number').execute();
    const owedOnTwo = installments.slice(0, 2).reduce((total, installment) =>
      total + installment.principal_minor + installment.interest_minor + installment.fee_minor + installment.penalty_minor, 0n);
    await postPayment(dependencies, loan.id, { amount: (Number(owedOnTwo) / 100).toFixed(2), idempotencyKey: 'p1', businessDate: addDays(through, 1) });
    const afterPayment = await row();
    expect(afterPayment.bucket).toBe('B1');
    expect(afterPayment.next_event_date).toBe(addDays(through, 1));
    const events = (await readEvents(handle.db, { loanId: loan.id, limit: 1000 })).events;
    expect(events.at(-1)).toMatchObject({ kind: 'loan.bucket_changed', payload: { from: 'B3', to: 'B1', cause: 'payment' } });

    // Pause, then resume: the resume brings the loan back to the run.
    await pauseAgeing(handle.db, ids, loan.id, { from: addDays(through, 2), reason: 'Dispute' });
    await runEndOfDayUntil(eod, addDays(through, 20));
    await resumeAgeing(handle.db, loan.id, { on: addDays(through, 21) });
    expect((await row()).next_event_date).toBe(addDays(through, 21));

    // A back-dated payment before the first late fee: the fee stays (policy), the book still verifies.
    await postPayment(dependencies, loan.id, { amount: '100.00', date: FIRST_DUE, idempotencyKey: 'p2', businessDate: addDays(through, 21) });
    expect((await handle.db.selectFrom('loan_charge').selectAll().where('loan_id', '=', loan.id).where('name', '=', 'Late fee').execute()).length).toBe(3);

    // Paying everything overdue cures the loan at once; that night's run has nothing left to do with
    // it, so its next event is its next due date and it has left non-accrual.
    const cureDate = addDays(through, 22);
    await handle.db.updateTable('loan').set({ non_accrual_on: addDays(through, 5) }).where('id', '=', loan.id).execute();
    const open = await handle.db.selectFrom('installment').selectAll().where('loan_id', '=', loan.id).where('completed_on', 'is', null).orderBy('number').execute();
    const overdue = open.filter((installment) => installment.due_date < cureDate);
    const owedOverdue = overdue.reduce((total, installment) => total + installment.principal_minor - installment.principal_paid_minor + installment.interest_minor
      - installment.interest_paid_minor + installment.fee_minor - installment.fee_paid_minor - installment.fee_waived_minor + installment.penalty_minor
      - installment.penalty_paid_minor - installment.penalty_waived_minor, 0n);
    await postPayment(dependencies, loan.id, { amount: (Number(owedOverdue) / 100).toFixed(2), idempotencyKey: 'p3', businessDate: cureDate });
    const cured = await row();
    expect(cured).toMatchObject({ bucket: null, delinquent_days: 0, days_past_due: 0, non_accrual_on: null, next_event_date: open[overdue.length]!.due_date });
    expect(cured.next_event_date! > cureDate).toBe(true);
    const afterCure = (await readEvents(handle.db, { loanId: loan.id, limit: 1000 })).events;
    expect(afterCure.at(-1)).toMatchObject({ kind: 'loan.cured', payload: { cause: 'payment' } });
    expect((await verifyServicing(handle.db)).filter((check) => !check.ok)).toEqual([]);
  });

  it('finishes a date exactly once after the process running it is killed (kill -9)', async () => {
    const location: { schema?: string; dataDir?: string } = POSTGRES_URL ? { schema: `eod_crash_${process.pid}_${Date.now().toString(36)}` } : { dataDir: mkdtempSync(join(tmpdir(), 'lenity-eod-crash-')) };
    cleanups.push(async () => (location.schema ? dropSchema(location.schema) : rmSync(location.dataDir!, { recursive: true, force: true })));
    const seeded = await openLocation(location);
    const { loanIds } = await seedBook(seeded, 120, 31);
    await seeded.close();
    // Four days after the first due date: a due event, a late fee and the first bucket for every loan.
    const date = addDays(FIRST_DUE, 4);
    const cli = join(process.cwd(), 'bin', 'lenity.js');
    const runChild = (environment: NodeJS.ProcessEnv, killAfterFirstChunk: boolean) =>
      new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [cli, 'eod', '--date', date, '--chunk-size', '10', '--partitions', '2', '--json'], { env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (data: Buffer) => {
          stderr += data.toString('utf8');
          if (killAfterFirstChunk && stderr.includes('eod chunk committed')) child.kill('SIGKILL');
        });
        child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
      });
    const crashed = await runChild(childEnvironment(location, { LENITY_EOD_CHUNK_DELAY_MS: '2000' }), true);
    expect(crashed.signal).toBe('SIGKILL');

    const between = await openLocation(location);
    const processed = await between.db.selectFrom('loan').select('id').where('eod_through', '=', date).execute();
    expect(processed.length).toBeGreaterThan(0);
    expect(processed.length).toBeLessThan(loanIds.length);
    await between.close();

    const rerun = await runChild(childEnvironment(location), false);
    expect(rerun.code, rerun.stderr).toBe(0);
    const after = await openLocation(location);
    try {
      const charges = await after.db.selectFrom('loan_charge').select(['loan_id', 'installment_number']).where('name', '=', 'Late fee').execute();
      expect(charges.length).toBe(loanIds.length);
      expect(new Set(charges.map((charge) => `${charge.loan_id}/${charge.installment_number}`)).size).toBe(loanIds.length);
      const events = await after.db.selectFrom('domain_event').select(['loan_id', 'kind']).execute();
      for (const kind of ['loan.due', 'fee.assessed', 'loan.delinquent', 'loan.bucket_changed']) {
        expect(events.filter((event) => event.kind === kind).length, kind).toBe(loanIds.length);
      }
      const entries = await after.db.selectFrom('journal_entry').select('loan_id').where('kind', '=', 'end-of-day').execute();
      expect(entries.length).toBe(loanIds.length);
      expect((await after.db.selectFrom('eod_run').selectAll().executeTakeFirstOrThrow()).status).toBe('finished');
      expect((await verifyServicing(after.db)).filter((check) => !check.ok)).toEqual([]);
    } finally {
      await after.close();
    }
  });

  it('gives the same book with three workers as with one', async () => {
    const schemaOf = (name: string) => `eod_${name}_${process.pid}_${Date.now().toString(36)}`;
    const locations: Array<{ schema?: string; dataDir?: string }> = POSTGRES_URL
      ? [{ schema: schemaOf('one') }, { schema: schemaOf('three') }]
      : [{ dataDir: mkdtempSync(join(tmpdir(), 'lenity-eod-one-')) }, { dataDir: mkdtempSync(join(tmpdir(), 'lenity-eod-three-')) }];
    for (const location of locations) cleanups.push(async () => (location.schema ? dropSchema(location.schema) : rmSync(location.dataDir!, { recursive: true, force: true })));
    const until = addDays(FIRST_DUE, 70);
    const fingerprints = [];
    for (const [index, location] of locations.entries()) {
      const handle = await openLocation(location);
      const { loanIds } = await seedBook(handle, 90, 77);
      // Some borrowers pay the first installment late, so the book has cures as well as arrears.
      const { ids } = testDependencies(78);
      for (const loanId of loanIds.slice(0, 30)) await postPayment({ db: handle.db, ids }, loanId, { amount: '200.00', idempotencyKey: `late-${loanId}`, businessDate: addDays(FIRST_DUE, 10) });
      await handle.close();
      const io = createMemoryIo();
      const environment = childEnvironment(location);
      const code = await main(['eod', '--until', until, '--workers', index === 0 ? '1' : '3', '--partitions', '5', '--chunk-size', '7', '--json'], { io, environment, clock: createTestClock('2026-12-01T00:00:00Z') });
      expect(code, io.err).toBe(0);
      const reopened = await openLocation(location);
      fingerprints.push(await bookFingerprint(reopened));
      if (POSTGRES_URL && index === 1) {
        const workers = await reopened.db.selectFrom('eod_chunk').select('worker').distinct().execute();
        expect(workers.length).toBeGreaterThan(1);
      }
      await reopened.close();
    }
    expect(fingerprints[1]).toEqual(fingerprints[0]);
    expect(fingerprints[0]!.charges.length).toBeGreaterThan(0);
  });
});

describe('end of day refusals', () => {
  it('refuses to skip a missed date and tells the operator to catch up', async () => {
    const handle = await openDatabase({ dataDir: 'memory' });
    try {
      const { ids } = testDependencies(9);
      const eod = endOfDayDependencies(handle, ids);
      await runEndOfDay(eod, day('2026-03-02'));
      await expect(runEndOfDay(eod, day('2026-03-04'))).rejects.toThrow(/--until 2026-03-04/);
      await expect(runEndOfDay(eod, day('2026-03-02'))).rejects.toThrow(/never runs twice/);
      expect((await runEndOfDayUntil(eod, day('2026-03-04'))).map((outcome) => outcome.businessDate)).toEqual(['2026-03-03', '2026-03-04']);
      const random = createRandom(1);
      expect(random.nextUint32()).toBeTypeOf('number');
    } finally {
      await handle.close();
    }
  });
});
