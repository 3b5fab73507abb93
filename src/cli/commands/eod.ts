import type { RegisterCommand } from '../command.ts';
import { withDatabase, lenderTimeZone } from '../database.ts';
import { parseBusinessDate, type BusinessDate } from '../../shared/business-date.ts';
import { validationError } from '../../shared/errors.ts';
import { createIdGenerator } from '../../shared/ids.ts';
import { createSystemRandom } from '../../shared/random.ts';
import { calendarDateIn } from '../../shared/zoned-time.ts';
import { loadCalendar } from '../../eod/calendar.service.ts';
import {
  DEFAULT_CHUNK_SIZE, DEFAULT_PARTITIONS, assertDateMayRun, closeRunIfDone, datesToCatchUp, openRun, workDate, type EndOfDayDependencies,
} from '../../eod/eod.service.ts';
import { MAX_WORKERS, runWorkerProcesses } from '../../eod/workers.service.ts';
import type { DatabaseHandle } from '../../db/database.ts';

interface EodOptions {
  date?: string;
  until?: string;
  workers: string;
  partitions: string;
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
 * Runs one date: opens it, works it with this process or with worker processes, closes it.
 * Worker processes are used on PostgreSQL only; the embedded database belongs to one process.
 */
export async function runDate(handle: DatabaseHandle, dependencies: EndOfDayDependencies, date: BusinessDate, settings: { workers: number; partitions: number; chunkSize: number; chunkDelayMs: number; environment: NodeJS.ProcessEnv; onChunk?: (loans: number) => void }) {
  const started = performance.now();
  const { open } = await openRun(dependencies, date, settings.partitions);
  if (!open) return { businessDate: date, loansTouched: 0, alreadyFinished: true, elapsedMs: 0 };
  let loansTouched = 0;
  if (settings.workers > 1 && handle.kind === 'postgres') {
    await runWorkerProcesses(date, settings.workers, settings.environment, { chunkSize: settings.chunkSize });
    const counted = await handle.db.selectFrom('eod_chunk').select((eb) => eb.fn.sum<string>('loans').as('loans')).where('business_date', '=', date).executeTakeFirst();
    loansTouched = Number(counted?.loans ?? 0);
  } else {
    loansTouched = (await workDate(dependencies, date, { chunkSize: settings.chunkSize, chunkDelayMs: settings.chunkDelayMs, onChunk: (progress) => settings.onChunk?.(progress.loans) })).loans;
  }
  const closed = await closeRunIfDone(handle.db, date);
  if (!closed) throw validationError('date', `end of day for ${date} has partitions still being worked; rerun to finish it`);
  return { businessDate: date, loansTouched, alreadyFinished: false, elapsedMs: Math.round(performance.now() - started) };
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
    .option('--partitions <count>', 'partitions a date is split into', String(DEFAULT_PARTITIONS))
    .option('--chunk-size <count>', 'loans per chunk (one transaction)', String(DEFAULT_CHUNK_SIZE))
    .option('--worker', 'work partitions of an open date and exit (started by --workers)')
    .option('--json', 'print one JSON line per date')
    .action(async (options: EodOptions) => {
      const { environment, io, clock } = context;
      if ((options.date === undefined) === (options.until === undefined)) throw validationError('--date', 'give exactly one of --date or --until');
      const workers = positiveInteger(options.workers, '--workers', MAX_WORKERS);
      const partitions = positiveInteger(options.partitions, '--partitions', 1024);
      const chunkSize = positiveInteger(options.chunkSize, '--chunk-size', 10_000);
      const chunkDelayMs = Number(environment.LENITY_EOD_CHUNK_DELAY_MS ?? 0) || 0;
      await withDatabase(environment, async (handle) => {
        const timeZone = lenderTimeZone(environment);
        const calendar = await loadCalendar(handle.db, timeZone);
        const ids = createIdGenerator(clock, createSystemRandom());
        const dependencies: EndOfDayDependencies = { db: handle.db, ids, kind: handle.kind, calendar };
        const today = calendarDateIn(clock.now(), calendar.timeZone);
        if (options.worker) {
          const date = parseBusinessDate(options.date, '--date');
          const worker = environment.LENITY_EOD_WORKER_NAME ?? `pid-${process.pid}`;
          const result = await workDate(dependencies, date, { chunkSize, chunkDelayMs, worker });
          io.stdout(`${JSON.stringify({ businessDate: date, worker, loansTouched: result.loans })}\n`);
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
        for (const date of dates) {
          let done = 0;
          const outcome = await runDate(handle, dependencies, date, {
            workers, partitions, chunkSize, chunkDelayMs, environment,
            onChunk: (loans) => {
              done += loans;
              if (showProgress) io.stderr(`\r${date}: ${done} loans processed`);
            },
          });
          if (showProgress) io.stderr('\n');
          if (options.json) io.stdout(`${JSON.stringify(outcome)}\n`);
          else io.stdout(`${date}: ${outcome.alreadyFinished ? 'already finished' : `${outcome.loansTouched} loans with events, ${outcome.elapsedMs} ms`}\n`);
        }
        if (dates.length === 0 && !options.json) io.stdout('Nothing to run: every business date through the one given has run.\n');
      });
    });
};
