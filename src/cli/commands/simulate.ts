import type { RegisterCommand } from '../command.ts';
import { withDatabase, lenderTimeZone } from '../database.ts';
import { createProgressBar } from '../progress.ts';
import { addDays, parseBusinessDate, type BusinessDate } from '../../shared/business-date.ts';
import { validationError } from '../../shared/errors.ts';
import { createIdGenerator } from '../../shared/ids.ts';
import { createRandom } from '../../shared/random.ts';
import { calendarDateIn } from '../../shared/zoned-time.ts';
import { loadCalendar } from '../../eod/calendar.service.ts';
import { businessDaysBetween } from '../../eod/business-calendar.ts';
import { lastFinishedDate, runEndOfDay, type EndOfDayDependencies } from '../../eod/eod.service.ts';
import { simulatePayments } from '../../eod/synthetic-book.service.ts';

/** Most days one simulation runs. */
const MAX_SIMULATED_DAYS = 3660;

/**
 * `lenity simulate --days D --seed S`: lives through D business days of a synthetic book — each day
 * the borrowers' payments (through the real payment service), then end of day — and prints the
 * delinquency curve: loans per bucket at the end of each day.
 */
export const registerSimulateCommand: RegisterCommand = (program, context) => {
  program
    .command('simulate')
    .description('Simulate days of borrower payments and end of day on a synthetic book (see seed --loans)')
    .requiredOption('--days <count>', 'business days to simulate')
    .option('--seed <number>', 'the seed the book was created with', '1')
    .option('--from <date>', 'first date (default: the day after the last end of day, or today)')
    .option('--json', 'print one JSON line per day')
    .action(async (options: { days: string; seed: string; from?: string; json?: boolean }) => {
      const days = Number(options.days);
      const seed = Number(options.seed);
      if (!Number.isSafeInteger(days) || days < 1 || days > MAX_SIMULATED_DAYS) throw validationError('--days', `must be an integer from 1 to ${MAX_SIMULATED_DAYS}`);
      if (!Number.isSafeInteger(seed)) throw validationError('--seed', 'must be an integer');
      await withDatabase(context.environment, async (handle) => {
        const calendar = await loadCalendar(handle.db, lenderTimeZone(context.environment));
        const ids = createIdGenerator(context.clock, createRandom(seed ^ 0x5eed));
        const dependencies: EndOfDayDependencies = { db: handle.db, ids, kind: handle.kind, calendar };
        const last = await lastFinishedDate(handle.db);
        const first = options.from ? parseBusinessDate(options.from, '--from') : last ? addDays(last, 1) : calendarDateIn(context.clock.now(), calendar.timeZone);
        const dates: BusinessDate[] = businessDaysBetween(calendar, addDays(first, -1), addDays(first, days * 2 + 14)).slice(0, days);
        const bar = createProgressBar({ label: 'days', total: dates.length, enabled: Boolean(process.stderr.isTTY) && !options.json, write: (text) => context.io.stderr(text) });
        for (const [index, date] of dates.entries()) {
          const { payments } = await simulatePayments({ db: handle.db, ids }, { seed, businessDate: date });
          const outcome = await runEndOfDay(dependencies, date);
          const buckets = await handle.db.selectFrom('loan').select(['bucket', (eb) => eb.fn.countAll<string>().as('loans')]).where('status', 'in', ['active', 'charged-off']).groupBy('bucket').execute();
          const curve = Object.fromEntries(buckets.map((row) => [row.bucket ?? 'current', Number(row.loans)]));
          if (options.json) context.io.stdout(`${JSON.stringify({ businessDate: date, payments, loansTouched: outcome.loansTouched, buckets: curve })}\n`);
          else context.io.stdout(`${date}: ${payments} payments, ${outcome.loansTouched} loans with events, buckets ${JSON.stringify(curve)}\n`);
          bar.update(index + 1);
        }
        bar.finish();
      });
    });
};
