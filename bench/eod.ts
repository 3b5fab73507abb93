import { sql } from 'kysely';
import type { Benchmark } from './benchmark.ts';
import { openBenchmarkDatabase, readOption } from './benchmark.ts';
import { databaseOptionsFromEnvironment } from '../src/db/database.ts';
import { addDays, type BusinessDate } from '../src/shared/business-date.ts';
import { createTestClock } from '../src/shared/clock.ts';
import { createIdGenerator } from '../src/shared/ids.ts';
import { createRandom } from '../src/shared/random.ts';
import { defaultCalendar, businessDaysBetween } from '../src/eod/business-calendar.ts';
import { runEndOfDay, type EndOfDayDependencies } from '../src/eod/eod.service.ts';
import { seedSyntheticBook, simulatePayments } from '../src/eod/synthetic-book.service.ts';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * `npm run bench -- eod --loans N --days D --json`: seeds N loans (a synthetic book with behaviour
 * profiles), then lives through D business days — the simulated borrowers' payments through the
 * real payment service, then end of day — and compares the median end of day with the reference,
 * measured in the same run: one set-based UPDATE that touches every loan row once.
 */
export const endOfDayBenchmark: Benchmark = {
  description: 'end of day per business date against one UPDATE of every loan row',
  async run({ args, environment, progress }) {
    const options = databaseOptionsFromEnvironment(environment);
    const loans = Number(readOption(args, 'loans') ?? (options.url ? 1_000_000 : 100_000));
    const days = Number(readOption(args, 'days') ?? 30);
    const seed = Number(readOption(args, 'seed') ?? 42);
    if (!Number.isSafeInteger(loans) || loans < 1 || !Number.isSafeInteger(days) || days < 1) throw new Error('--loans and --days must be positive integers');
    const handle = await openBenchmarkDatabase(environment, 'eod');
    try {
      const today = '2026-03-02' as BusinessDate;
      const clock = createTestClock('2026-03-02T01:00:00Z');
      const ids = createIdGenerator(clock, createRandom(seed));
      progress(`seeding ${loans} loans…`);
      const seedStart = performance.now();
      let reported = 0;
      await seedSyntheticBook(handle.db, ids, {
        loans, seed, today,
        onProgress: (done, total) => {
          if (done - reported >= total / 10 || done === total) {
            reported = done;
            progress(`  ${done}/${total} loans`);
          }
        },
      });
      const seedMs = performance.now() - seedStart;
      await sql`ANALYZE`.execute(handle.db);
      const calendar = defaultCalendar('Asia/Shanghai');
      const dependencies: EndOfDayDependencies = { db: handle.db, ids, kind: handle.kind, calendar };
      const dates = businessDaysBetween(calendar, addDays(today, -1), addDays(today, days * 2 + 14)).slice(0, days);
      const eodMs: number[] = [];
      const touched: number[] = [];
      const referenceMs: number[] = [];
      for (const [index, date] of dates.entries()) {
        // Each business date happens on its own day, as in production: ids (time-ordered) written on
        // a date come after those of the dates before it.
        clock.set(`${date}T10:00:00Z`);
        const { payments } = await simulatePayments({ db: handle.db, ids }, { seed, businessDate: date });
        clock.set(`${date}T20:00:00Z`);
        const start = performance.now();
        const outcome = await runEndOfDay(dependencies, date);
        eodMs.push(performance.now() - start);
        touched.push(outcome.loansTouched);
        // The reference, interleaved so both see the same table and cache: every loan row once.
        if (index % 5 === 0 || index === dates.length - 1) {
          const referenceStart = performance.now();
          await sql`UPDATE loan SET version = version + 1`.execute(handle.db);
          referenceMs.push(performance.now() - referenceStart);
        }
        progress(`${date}: ${payments} payments, ${outcome.loansTouched} loans with events, ${Math.round(eodMs.at(-1)!)} ms`);
      }
      const eodMedianMs = Math.round(median(eodMs));
      const referenceMedianMs = Math.round(median(referenceMs));
      return {
        database: handle.kind,
        loans,
        days: dates.length,
        eodMedianMs,
        touchedPerDayMedian: median(touched),
        referenceMs: referenceMedianMs,
        ratio: Math.round((eodMedianMs / Math.max(1, referenceMedianMs)) * 1000) / 1000,
        peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
        seedMs: Math.round(seedMs),
      };
    } finally {
      await handle.close();
    }
  },
};
