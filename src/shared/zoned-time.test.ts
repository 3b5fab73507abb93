import { describe, expect, it } from 'vitest';
import { calendarDateIn, startOfDayIn } from './zoned-time.ts';
import type { BusinessDate } from './business-date.ts';

describe('calendarDateIn', () => {
  it.each([
    ['2026-03-09T23:30:00Z', 'Asia/Shanghai', '2026-03-10'],
    ['2026-03-09T23:30:00Z', 'UTC', '2026-03-09'],
    ['2026-03-10T03:59:00Z', 'America/New_York', '2026-03-09'],
    ['2026-03-10T04:00:00Z', 'America/New_York', '2026-03-10'],
    ['2026-11-01T06:30:00Z', 'America/Chicago', '2026-11-01'],
    ['2026-03-29T00:30:00Z', 'Europe/London', '2026-03-29'],
  ])('%s in %s is %s', (instant, zone, expected) => {
    expect(calendarDateIn(new Date(instant), zone)).toBe(expected);
  });
});

describe('startOfDayIn', () => {
  it.each([
    ['2026-03-10', 'Asia/Shanghai', '2026-03-09T16:00:00.000Z'],
    ['2026-03-10', 'UTC', '2026-03-10T00:00:00.000Z'],
    // Summer time starts at 02:00 in New York: the day still starts at local midnight.
    ['2026-03-08', 'America/New_York', '2026-03-08T05:00:00.000Z'],
    ['2026-03-09', 'America/New_York', '2026-03-09T04:00:00.000Z'],
    ['2026-11-02', 'America/New_York', '2026-11-02T05:00:00.000Z'],
    ['2026-03-30', 'Europe/London', '2026-03-29T23:00:00.000Z'],
    ['2026-10-25', 'Europe/London', '2026-10-24T23:00:00.000Z'],
    // Clocks skip midnight: the day starts at 01:00 local.
    ['2026-09-06', 'America/Santiago', '2026-09-06T04:00:00.000Z'],
    ['2026-03-29', 'Asia/Beirut', '2026-03-28T22:00:00.000Z'],
    // Clocks go back from midnight to 23:00 of the day before: the new date starts an hour later.
    ['2026-04-05', 'America/Santiago', '2026-04-05T04:00:00.000Z'],
  ])('%s in %s starts at %s', (date, zone, expected) => {
    const start = startOfDayIn(date as BusinessDate, zone);
    expect(start.toISOString()).toBe(expected);
    expect(calendarDateIn(start, zone)).toBe(date);
    expect(calendarDateIn(new Date(start.getTime() - 1000), zone) < date).toBe(true);
  });
});
