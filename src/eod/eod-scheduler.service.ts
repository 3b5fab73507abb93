import type { DatabaseHandle } from '../db/database.ts';
import { addDays, type BusinessDate } from '../shared/business-date.ts';
import type { Clock } from '../shared/clock.ts';
import { validationError } from '../shared/errors.ts';
import type { IdGenerator } from '../shared/ids.ts';
import { calendarDateIn } from '../shared/zoned-time.ts';
import { loadCalendar } from './calendar.service.ts';
import { runCollections } from '../collections/case.service.ts';
import { runEndOfDayUntil, type DateOutcome } from './eod.service.ts';

/** How often the server looks at the clock for the daily run. */
const TICK_INTERVAL_MS = 60_000;

/** Reads "HH:MM" (24-hour). @example parseLocalTime('00:30') // 30 */
export function parseLocalTime(text: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(text.trim());
  if (!match || Number(match[1]) > 23 || Number(match[2]) > 59) throw validationError('LENITY_EOD_TIME', `"${text}" is not a time such as "00:30"`);
  return Number(match[1]) * 60 + Number(match[2]);
}

function minutesOfDayIn(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(instant);
  const hour = Number(parts.find((part) => part.type === 'hour')?.value ?? 0);
  const minute = Number(parts.find((part) => part.type === 'minute')?.value ?? 0);
  return hour * 60 + minute;
}

export interface DailyEndOfDay {
  /** Runs every date that is due by now and has not run; the timer calls it, tests call it directly. */
  tick(): Promise<DateOutcome[]>;
  stop(): void;
}

/**
 * The server's daily end of day: at `eodTime` lender local time it runs the previous business date
 * and then the collections run for it, and at start (and on every tick) it catches up any date missed while the server was down. The
 * clock is injected, so a test moves it and calls `tick`.
 *
 * @example const daily = startDailyEndOfDay({ handle, clock, ids, timeZone: 'Asia/Shanghai', eodTime: '00:30', log }); await daily.tick();
 */
export function startDailyEndOfDay(options: {
  handle: DatabaseHandle;
  clock: Clock;
  ids: IdGenerator;
  timeZone: string;
  eodTime: string;
  log: (message: string) => void;
  timer?: boolean;
  /** Signed into collections messages. */
  lenderName?: string;
  lenderPhone?: string;
}): DailyEndOfDay {
  const runAtMinutes = parseLocalTime(options.eodTime);
  let running: Promise<DateOutcome[]> | null = null;
  const work = async (): Promise<DateOutcome[]> => {
    const calendar = await loadCalendar(options.handle.db, options.timeZone);
    const now = options.clock.now();
    const today = calendarDateIn(now, calendar.timeZone);
    // Before the run time, yesterday is still open for late postings: the run covers the day before.
    const latest: BusinessDate = addDays(today, minutesOfDayIn(now, calendar.timeZone) >= runAtMinutes ? -1 : -2);
    const outcomes = await runEndOfDayUntil({ db: options.handle.db, ids: options.ids, kind: options.handle.kind, calendar }, latest, { today });
    for (const outcome of outcomes) options.log(`end of day ${outcome.businessDate}: ${outcome.loansTouched} loans with events`);
    // Collections follow end of day, for the latest date only: after a catch-up, the missed days'
    // reminders would all go out at once, which helps nobody; cases still open and close from every
    // event in order.
    const ran = outcomes.filter((outcome) => !outcome.alreadyFinished).at(-1);
    if (ran) {
      const summary = await runCollections(options.handle.db, options.ids, options.clock, ran.businessDate, { lenderName: options.lenderName, lenderPhone: options.lenderPhone });
      options.log(`collections ${ran.businessDate}: ${summary.casesOpened} cases opened, ${summary.casesClosed} closed, ${summary.casesWorked} worked`);
    }
    return outcomes;
  };
  const tick = () => {
    // One run at a time: a tick while a long catch-up runs waits for it instead of starting another.
    running ??= work().finally(() => {
      running = null;
    });
    return running;
  };
  const interval = options.timer === false ? null : setInterval(() => {
    tick().catch((error: unknown) => options.log(`end of day failed: ${(error as Error).message}`));
  }, TICK_INTERVAL_MS);
  interval?.unref();
  return { tick, stop: () => (interval ? clearInterval(interval) : undefined) };
}
