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

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** How far a zone's wall clock is ahead of UTC at an instant, in milliseconds (whole seconds). */
function zoneOffsetMs(instantMs: number, timeZone: string): number {
  let formatter = offsetFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    offsetFormatters.set(timeZone, formatter);
  }
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(new Date(instantMs))) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  const wallClockMs = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wallClockMs - Math.floor(instantMs / 1000) * 1000;
}

/**
 * The first instant of a calendar date in a time zone: a day asked for in the lender's zone starts
 * at its local midnight, or later where the clocks skip midnight for summer time.
 *
 * @example startOfDayIn('2026-03-10', 'Asia/Shanghai') // 2026-03-09T16:00:00.000Z
 * @example startOfDayIn('2026-09-06', 'America/Santiago') // 2026-09-06T04:00:00.000Z (00:00 does not exist that day)
 */
export function startOfDayIn(date: BusinessDate, timeZone: string): Date {
  const isOnOrAfterDate = (instantMs: number) => calendarDateIn(new Date(instantMs), timeZone) >= date;
  const midnightAsUtcMs = Date.parse(`${date}T00:00:00Z`);
  // Local midnight, with the offset the zone has there (read twice: a transition may lie between).
  let instantMs = midnightAsUtcMs - zoneOffsetMs(midnightAsUtcMs, timeZone);
  instantMs = midnightAsUtcMs - zoneOffsetMs(instantMs, timeZone);
  if (isOnOrAfterDate(instantMs) && !isOnOrAfterDate(instantMs - 1000)) return new Date(instantMs);
  // Midnight was skipped or repeated by a transition: the day starts at the first second on it,
  // within the few hours around local midnight that any transition spans.
  let beforeMs = instantMs - TRANSITION_WINDOW_MS;
  let onMs = instantMs + TRANSITION_WINDOW_MS;
  while (onMs - beforeMs > 1000) {
    const middleMs = beforeMs + Math.floor((onMs - beforeMs) / 2000) * 1000;
    if (isOnOrAfterDate(middleMs)) onMs = middleMs;
    else beforeMs = middleMs;
  }
  return new Date(onMs);
}

const TRANSITION_WINDOW_MS = 3 * 3_600_000;
