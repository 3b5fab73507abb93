import { type BusinessDate, type Weekday, WEEKDAYS, addDays, parseBusinessDate, weekdayOf } from '../shared/business-date.ts';
import { validationError } from '../shared/errors.ts';

/** What happens to a due-date event that falls on a non-business day. */
export type NonBusinessDayRule = 'next' | 'previous' | 'unchanged';
export const NON_BUSINESS_DAY_RULES: readonly NonBusinessDayRule[] = ['next', 'previous', 'unchanged'];

/** The lender's calendar: its time zone, weekend days, holidays and non-business-day rule. */
export interface BusinessCalendar {
  timeZone: string;
  weekendDays: readonly Weekday[];
  holidays: ReadonlySet<string>;
  rule: NonBusinessDayRule;
}

/** A week of Saturday and Sunday off, no holidays, due-date events moved to the next business day. */
export function defaultCalendar(timeZone: string): BusinessCalendar {
  return { timeZone, weekendDays: ['sat', 'sun'], holidays: new Set(), rule: 'next' };
}

/** Longest run of non-business days searched (a calendar with no business day at all is refused). */
const MAX_NON_BUSINESS_RUN_DAYS = 60;

/** @example isBusinessDay(defaultCalendar('Asia/Shanghai'), '2026-03-07') // false (a Saturday) */
export function isBusinessDay(calendar: BusinessCalendar, date: BusinessDate): boolean {
  return !calendar.weekendDays.includes(weekdayOf(date)) && !calendar.holidays.has(date);
}

/** The first business day after `date`. @example nextBusinessDay(calendar, '2026-03-06') // "2026-03-09" */
export function nextBusinessDay(calendar: BusinessCalendar, date: BusinessDate): BusinessDate {
  return stepToBusinessDay(calendar, addDays(date, 1), 1);
}

/** The last business day before `date`. @example previousBusinessDay(calendar, '2026-03-09') // "2026-03-06" */
export function previousBusinessDay(calendar: BusinessCalendar, date: BusinessDate): BusinessDate {
  return stepToBusinessDay(calendar, addDays(date, -1), -1);
}

function stepToBusinessDay(calendar: BusinessCalendar, start: BusinessDate, step: 1 | -1): BusinessDate {
  let date = start;
  for (let count = 0; count < MAX_NON_BUSINESS_RUN_DAYS; count++) {
    if (isBusinessDay(calendar, date)) return date;
    date = addDays(date, step);
  }
  throw validationError('calendar', `no business day within ${MAX_NON_BUSINESS_RUN_DAYS} days of ${start}`);
}

/**
 * The date a due date's event belongs to under the calendar's rule: a due date on a weekend or
 * holiday moves to the next (or previous) business day, or stays.
 *
 * @example adjustDueEventDate({ ...calendar, rule: 'previous' }, '2026-03-07') // "2026-03-06"
 */
export function adjustDueEventDate(calendar: BusinessCalendar, date: BusinessDate): BusinessDate {
  if (calendar.rule === 'unchanged' || isBusinessDay(calendar, date)) return date;
  return calendar.rule === 'next' ? stepToBusinessDay(calendar, date, 1) : stepToBusinessDay(calendar, date, -1);
}

/**
 * Business days after `fromExclusive` up to and including `throughInclusive`, in order.
 *
 * @example businessDaysBetween(calendar, '2026-03-06', '2026-03-10') // ["2026-03-09", "2026-03-10"]
 */
export function businessDaysBetween(calendar: BusinessCalendar, fromExclusive: BusinessDate, throughInclusive: BusinessDate): BusinessDate[] {
  const dates: BusinessDate[] = [];
  for (let date = addDays(fromExclusive, 1); date <= throughInclusive; date = addDays(date, 1)) {
    if (isBusinessDay(calendar, date)) dates.push(date);
  }
  return dates;
}

/** Most holidays one import takes: decades of a national calendar fit easily. */
const MAX_HOLIDAYS_PER_IMPORT = 10_000;

/**
 * Reads holidays from CSV: `date,name` per line, an optional header line, blank lines ignored.
 *
 * @example parseHolidayCsv('date,name\n2026-10-01,National Day') // [{ date: '2026-10-01', name: 'National Day' }]
 */
export function parseHolidayCsv(text: string): Array<{ date: BusinessDate; name: string }> {
  const holidays: Array<{ date: BusinessDate; name: string }> = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line.length === 0 || (index === 0 && /^date\s*,/i.test(line))) return;
    const comma = line.indexOf(',');
    const dateText = (comma === -1 ? line : line.slice(0, comma)).trim();
    const name = (comma === -1 ? '' : line.slice(comma + 1)).trim().replace(/^"(.*)"$/, '$1');
    holidays.push({ date: parseBusinessDate(dateText, `line ${index + 1}`), name: name || 'Holiday' });
  });
  if (holidays.length > MAX_HOLIDAYS_PER_IMPORT) throw validationError('file', `at most ${MAX_HOLIDAYS_PER_IMPORT} holidays per import`);
  return holidays;
}

/** Reads weekend days ("sat,sun"). @example parseWeekendDays('fri,sat') // ['fri', 'sat'] */
export function parseWeekendDays(text: string): Weekday[] {
  const days = text.split(',').map((day) => day.trim().toLowerCase()).filter((day) => day.length > 0);
  for (const day of days) if (!(WEEKDAYS as readonly string[]).includes(day)) throw validationError('weekend', `"${day}" is not one of ${WEEKDAYS.join(', ')}`);
  if (days.length >= 7) throw validationError('weekend', 'at least one day of the week must be a business day');
  return days as Weekday[];
}
