import { describe, expect, it } from 'vitest';
import type { BusinessDate } from '../shared/business-date.ts';
import { adjustDueEventDate, businessDaysBetween, defaultCalendar, isBusinessDay, parseHolidayCsv, parseWeekendDays } from './business-calendar.ts';

const day = (text: string) => text as BusinessDate;
const calendar = { ...defaultCalendar('Asia/Shanghai'), holidays: new Set(['2026-10-01', '2026-10-02']) };

describe('business calendar', () => {
  // rule, due date → the date its event belongs to
  const table: Array<['next' | 'previous' | 'unchanged', string, string]> = [
    ['next', '2026-03-09', '2026-03-09'],
    ['next', '2026-03-07', '2026-03-09'],
    ['previous', '2026-03-08', '2026-03-06'],
    ['unchanged', '2026-03-08', '2026-03-08'],
    ['next', '2026-10-01', '2026-10-05'],
    ['previous', '2026-10-02', '2026-09-30'],
  ];
  for (const [rule, due, expected] of table) {
    it(`${rule}: ${due} → ${expected}`, () => expect(adjustDueEventDate({ ...calendar, rule }, day(due))).toBe(expected));
  }
  it('lists business days between two dates, weekends and holidays left out', () => {
    expect(businessDaysBetween(calendar, day('2026-09-29'), day('2026-10-06'))).toEqual(['2026-09-30', '2026-10-05', '2026-10-06']);
    expect(isBusinessDay(calendar, day('2026-10-01'))).toBe(false);
  });
  it('reads holidays from CSV and weekend days from text', () => {
    expect(parseHolidayCsv('date,name\n2026-10-01,National Day\n\n2026-10-02,"National Day"\n')).toEqual([
      { date: '2026-10-01', name: 'National Day' }, { date: '2026-10-02', name: 'National Day' },
    ]);
    expect(() => parseHolidayCsv('2026-02-30,Nope')).toThrow(/calendar date/);
    expect(parseWeekendDays('fri, sat')).toEqual(['fri', 'sat']);
    expect(() => parseWeekendDays('funday')).toThrow(/funday/);
  });
});
