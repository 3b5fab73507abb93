import { sql } from 'kysely';
import type { Benchmark } from './benchmark.ts';
import { openBenchmarkDatabase, readOption } from './benchmark.ts';
import { measureScheduleThroughput } from './schedule-throughput.ts';
import { databaseOptionsFromEnvironment } from '../src/db/database.ts';
import { createProduct, getProduct } from '../src/lending/product.service.ts';
import { openLoansInBulk } from '../src/lending/bulk.service.ts';
import { syntheticBorrower } from '../src/lending/synthetic-borrowers.ts';
import { postPayment } from '../src/lending/loan.service.ts';
import { createIdGenerator } from '../src/shared/ids.ts';
import { createRandom } from '../src/shared/random.ts';
import { systemClock } from '../src/shared/clock.ts';
import { addDays, type BusinessDate } from '../src/shared/business-date.ts';

/**
 * Servicing throughput: schedules generated per second (pure, one core), and payments posted per
 * second through the service layer on the configured database beside the reference — one plain
 * single-row UPDATE per payment through the same driver, measured in the same run.
 */
export const servicingBenchmark: Benchmark = {
  description: 'schedules per second and payments per second against a single-row UPDATE reference',
  async run({ args, environment, progress }) {
    const payments = Number(readOption(args, 'payments') ?? 2000);
    progress('generating schedules…');
    const schedules = measureScheduleThroughput(2000);
    const options = databaseOptionsFromEnvironment(environment);
    const handle = await openBenchmarkDatabase(environment, 'servicing');
    try {
      const random = createRandom(42);
      const ids = createIdGenerator(systemClock, random);
      const start = '2026-01-01' as BusinessDate;
      const product = await createProduct(handle.db, ids, {
        name: 'Benchmark product', terms: { currency: 'CNY', annualRate: '18', numberOfRepayments: 12 },
        principalRange: { min: '1000.00', max: '100000.00' }, repaymentsRange: { min: 12, max: 12 }, prepayment: 'reduce-term',
      }, start);
      const loaded = await getProduct(handle.db, product.id);
      const loanCount = Math.max(50, Math.floor(payments / 20));
      progress(`opening ${loanCount} loans…`);
      const loanIds = await openLoansInBulk(handle.db, ids, {
        productId: product.id,
        product: loaded.product,
        loans: Array.from({ length: loanCount }, () => ({ borrower: syntheticBorrower(random, 'CN'), principalMinor: 5000000n, numberOfRepayments: 12, disbursementDate: start })),
      });
      const services = { db: handle.db, ids };
      const businessDate = addDays(start, 45);
      progress(`posting ${payments} payments…`);
      const paymentStart = performance.now();
      for (let index = 0; index < payments; index++) {
        await postPayment(services, loanIds[index % loanIds.length]!, { amount: '10.00', idempotencyKey: `bench-${index}`, businessDate });
      }
      const paymentMs = performance.now() - paymentStart;
      progress(`running the reference: ${payments} single-row UPDATEs…`);
      const referenceStart = performance.now();
      for (let index = 0; index < payments; index++) {
        await sql`UPDATE loan SET version = version + 1 WHERE id = ${loanIds[index % loanIds.length]!}`.execute(handle.db);
      }
      const referenceMs = performance.now() - referenceStart;
      const paymentsPerSecond = Math.round((payments * 1000) / paymentMs);
      const referencePerSecond = Math.round((payments * 1000) / referenceMs);
      return {
        database: handle.kind,
        schedulesPerSecond: schedules.schedulesPerSecond,
        payments,
        paymentsPerSecond,
        referenceUpdatesPerSecond: referencePerSecond,
        ratio: Math.round((paymentsPerSecond / referencePerSecond) * 1000) / 1000,
      };
    } finally {
      await handle.close();
    }
  },
};
