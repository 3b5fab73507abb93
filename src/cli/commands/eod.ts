import type { RegisterCommand } from '../command.ts';
import { withDatabase, lenderTimeZone } from '../database.ts';
import { parseBusinessDate, type BusinessDate } from '../../shared/business-date.ts';
import { validationError } from '../../shared/errors.ts';
import { createIdGenerator } from '../../shared/ids.ts';
import { createSystemRandom } from '../../shared/random.ts';
import { calendarDateIn } from '../../shared/zoned-time.ts';
import { loadCalendar } from '../../eod/calendar.service.ts';
import {
  DEFAULT_CHUNK_SIZE, DEFAULT_PARTITIONS, assertDateMayRun, datesToCatchUp, defaultPartitions, runEndOfDay, workDates, type EndOfDayDependencies,
} from '../../eod/eod.service.ts';
import { MAX_WORKERS, runWorkerProcesses } from '../../eod/workers.service.ts';

interface EodOptions {
  date?: string;
  until?: string;
  dates?: string;
  workers: string;
  partitions?: string;
  chunkSize: string;
  worker?: boolean;
  json?: boolean;
}

function positiveInteger(text: string, field: string, max: number): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1 || value > max) throw validationError(field, `must be an integer from 1 to ${max}`);
  return value;
}

/**
 * `lenity eod --date D | --until D [--workers N]`: end of day for one business date, or every
 * missed date through D in order. A finished date never runs again; a crashed one resumes.
 */
export const registerEodCommand: RegisterCommand = (program, context) => {
  program
    .command('eod')
    .description('Run end of day for a business date (--date) or catch up every missed date (--until)')
    .option('--date <date>', 'one business date (YYYY-MM-DD)')
    .option('--until <date>', 'every missed business date through this one, in order')
    .option('--workers <count>', 'worker processes claiming partitions (PostgreSQL)', '1')
    .option('--partitions <count>', `partitions a date is split into (default ${DEFAULT_PARTITIONS} on PostgreSQL, 1 embedded)`)
    .option('--chunk-size <count>', 'loans per chunk (one transaction)', String(DEFAULT_CHUNK_SIZE))
    .option('--worker', 'work the partitions of --dates, date after date, and exit (started by --workers)')
    .option('--dates <list>', 'comma-separated business dates for --worker')
    .option('--json', 'print one JSON line per date')
    .action(async (options: EodOptions) => {
      const { environment, io, clock } = context;
      if (!options.worker && (options.date === undefined) === (options.until === undefined)) throw validationError('--date', 'give exactly one of --date or --until');
      const workers = positiveInteger(options.workers, '--workers', MAX_WORKERS);
      const chunkSize = positiveInteger(options.chunkSize, '--chunk-size', 10_000);
      const chunkDelayMs = Number(environment.LENITY_EOD_CHUNK_DELAY_MS ?? 0) || 0;
      await withDatabase(environment, async (handle) => {
        const timeZone = lenderTimeZone(environment);
        const calendar = await loadCalendar(handle.db, timeZone);
        const ids = createIdGenerator(clock, createSystemRandom());
        const dependencies: EndOfDayDependencies = { db: handle.db, ids, kind: handle.kind, calendar };
        const today = calendarDateIn(clock.now(), calendar.timeZone);
        const partitions = options.partitions === undefined ? defaultPartitions(handle.kind) : positiveInteger(options.partitions, '--partitions', 1024);
        if (options.worker) {
          const list = (options.dates ?? options.date ?? '').split(',').filter((text) => text.length > 0).map((text) => parseBusinessDate(text, '--dates'));
          const worker = environment.LENITY_EOD_WORKER_NAME ?? `pid-${process.pid}`;
          const loans = await workDates(dependencies, list, { chunkSize, chunkDelayMs, worker, partitions });
          io.stdout(`${JSON.stringify({ dates: list.length, worker, loansTouched: loans })}\n`);
          return;
        }
        let dates: BusinessDate[];
        if (options.date !== undefined) {
          const date = parseBusinessDate(options.date, '--date');
          await assertDateMayRun(dependencies, date, today);
          dates = [date];
        } else {
          const until = parseBusinessDate(options.until, '--until');
          if (until >= today) throw validationError('--until', `must be before today (${today}): a date runs after it is over`);
          dates = await datesToCatchUp(dependencies, until);
        }
        const showProgress = Boolean(process.stderr.isTTY) && !options.json;
        if (workers > 1 && handle.kind === 'postgres') {
          // Worker processes take the dates in order between them; this process waits and reports.
          const started = performance.now();
          await runWorkerProcesses(dates, workers, environment, { chunkSize, partitions });
          for (const date of dates) {
            const counted = await handle.db.selectFrom('eod_chunk').select((eb) => eb.fn.sum<string>('loans').as('loans')).where('business_date', '=', date).executeTakeFirst();
            const outcome = { businessDate: date, loansTouched: Number(counted?.loans ?? 0), alreadyFinished: false };
            io.stdout(options.json ? `${JSON.stringify(outcome)}\n` : `${date}: ${outcome.loansTouched} loans with events\n`);
          }
          if (!options.json) io.stdout(`${dates.length} dates with ${workers} workers in ${Math.round(performance.now() - started)} ms\n`);
        } else {
          for (const date of dates) {
            let done = 0;
            const started = performance.now();
            const outcome = await runEndOfDay(dependencies, date, {
              partitions, chunkSize, chunkDelayMs,
              onChunk: (progress) => {
                done += progress.loans;
                if (showProgress) io.stderr(`\r${date}: ${done} loans processed`);
              },
            });
            if (showProgress) io.stderr('\n');
            const elapsedMs = Math.round(performance.now() - started);
            if (options.json) io.stdout(`${JSON.stringify({ ...outcome, elapsedMs })}\n`);
            else io.stdout(`${date}: ${outcome.alreadyFinished ? 'already finished' : `${outcome.loansTouched} loans with events, ${elapsedMs} ms`}\n`);
          }
        }
        if (dates.length === 0 && !options.json) io.stdout('Nothing to run: every business date through the one given has run.\n');
      });
    });
};
