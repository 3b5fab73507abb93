import { describe, expect, it } from 'vitest';
import { calendarDateIn } from './zoned-time.ts';

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
