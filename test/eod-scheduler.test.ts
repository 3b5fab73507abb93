import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../src/db/database.ts';
import { createTestClock } from '../src/shared/clock.ts';
import { startDailyEndOfDay } from '../src/eod/eod-scheduler.service.ts';
import { configureCalendar, importHolidays } from '../src/eod/calendar.service.ts';
import { DATABASE_KIND, openTestDatabase } from './support/database.ts';
import { testDependencies } from './support/fixtures.ts';

describe(`the daily end of day of the server on ${DATABASE_KIND}`, () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openTestDatabase();
    await configureCalendar(handle.db, { timeZone: 'Asia/Shanghai', weekendDays: ['sat', 'sun'], rule: 'next' });
    await importHolidays(handle.db, 'date,name\n2026-03-04,Founders day\n');
  });
  afterAll(async () => handle?.close());

  it('runs the previous business date after the configured local time and catches up missed dates', async () => {
    const clock = createTestClock('2026-03-02T16:00:00Z'); // 2026-03-03 00:00 in Shanghai
    const { ids } = testDependencies(3);
    const daily = startDailyEndOfDay({ handle, clock, ids, timeZone: 'Asia/Shanghai', eodTime: '00:30', log: () => {}, timer: false });
    // Before 00:30: 2026-03-02 is still open, so nothing before it runs (the book starts empty).
    expect((await daily.tick()).map((outcome) => outcome.businessDate)).toEqual([]);
    clock.set('2026-03-02T16:31:00Z');
    expect((await daily.tick()).map((outcome) => outcome.businessDate)).toEqual(['2026-03-02']);
    // The server was down for a week: the holiday and the weekend are skipped, the rest run in order.
    clock.set('2026-03-09T17:00:00Z'); // 2026-03-10 01:00
    expect((await daily.tick()).map((outcome) => outcome.businessDate)).toEqual(['2026-03-03', '2026-03-05', '2026-03-06', '2026-03-09']);
    expect(await daily.tick()).toEqual([]);
    daily.stop();
  });
});
