import type { BusinessDate } from './business-date.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * The calendar date of an instant in a time zone: the lender's business date comes from its zone,
 * not from UTC.
 *
 * @example calendarDateIn(new Date('2026-03-09T23:30:00Z'), 'Asia/Shanghai') // "2026-03-10"
 */
export function calendarDateIn(instant: Date, timeZone: string): BusinessDate {
  return formatterFor(timeZone).format(instant) as BusinessDate;
}
