import type { Executor } from '../db/transaction.ts';
import { inTransaction } from '../db/transaction.ts';
import type { Weekday } from '../shared/business-date.ts';
import { validationError } from '../shared/errors.ts';
import { type BusinessCalendar, type NonBusinessDayRule, NON_BUSINESS_DAY_RULES, defaultCalendar, parseHolidayCsv } from './business-calendar.ts';

/**
 * The lender's calendar as stored, or the default (Saturday and Sunday off, rule "next") in
 * `fallbackTimeZone` when none was configured.
 *
 * @example const calendar = await loadCalendar(db, 'Asia/Shanghai')
 */
export async function loadCalendar(db: Executor, fallbackTimeZone: string): Promise<BusinessCalendar> {
  const [row, holidays] = await Promise.all([
    db.selectFrom('business_calendar').selectAll().where('id', '=', 1).executeTakeFirst(),
    db.selectFrom('holiday').select('date').execute(),
  ]);
  const base = row
    ? { timeZone: row.time_zone, weekendDays: row.weekend_days as Weekday[], holidays: new Set<string>(), rule: row.non_business_day_rule as NonBusinessDayRule }
    : defaultCalendar(fallbackTimeZone);
  return { ...base, holidays: new Set(holidays.map((holiday) => holiday.date)) };
}

/**
 * Sets the lender's time zone, weekend days and non-business-day rule.
 *
 * @example await configureCalendar(db, { timeZone: 'Asia/Shanghai', weekendDays: ['sat', 'sun'], rule: 'next' })
 */
export async function configureCalendar(db: Executor, settings: { timeZone: string; weekendDays: readonly Weekday[]; rule: NonBusinessDayRule }): Promise<void> {
  if (!NON_BUSINESS_DAY_RULES.includes(settings.rule)) throw validationError('rule', `must be one of ${NON_BUSINESS_DAY_RULES.join(', ')}`);
  try {
    new Intl.DateTimeFormat('en', { timeZone: settings.timeZone });
  } catch {
    throw validationError('timeZone', `"${settings.timeZone}" is not an IANA time zone`);
  }
  const values = { time_zone: settings.timeZone, weekend_days: JSON.stringify(settings.weekendDays), non_business_day_rule: settings.rule };
  await db.insertInto('business_calendar').values({ id: 1, ...values }).onConflict((conflict) => conflict.column('id').doUpdateSet(values)).execute();
}

/**
 * Imports holidays from a CSV file's text (`date,name`); a date already present gets the new name.
 *
 * @example await importHolidays(db, '2026-10-01,National Day\n2026-10-02,National Day') // { imported: 2 }
 */
export async function importHolidays(db: Executor, csvText: string): Promise<{ imported: number }> {
  const holidays = parseHolidayCsv(csvText);
  if (holidays.length === 0) return { imported: 0 };
  await inTransaction(db, async (transaction) => {
    for (let index = 0; index < holidays.length; index += 1000) {
      await transaction
        .insertInto('holiday')
        .values(holidays.slice(index, index + 1000))
        .onConflict((conflict) => conflict.column('date').doUpdateSet((update) => ({ name: update.ref('excluded.name') })))
        .execute();
    }
  });
  return { imported: holidays.length };
}

const MAXIMUM_HOLIDAYS_SHOWN = 2000;

/**
 * The lender's calendar for people: time zone, weekend days, rule and the holidays by date.
 *
 * @example (await describeCalendar(db, 'Asia/Shanghai')).holidays[0] // { date: '2026-10-01', name: 'National Day' }
 */
export async function describeCalendar(db: Executor, fallbackTimeZone: string) {
  const [calendar, holidays] = await Promise.all([
    loadCalendar(db, fallbackTimeZone),
    db.selectFrom('holiday').select(['date', 'name']).orderBy('date').limit(MAXIMUM_HOLIDAYS_SHOWN).execute(),
  ]);
  return { timeZone: calendar.timeZone, weekendDays: calendar.weekendDays, rule: calendar.rule, holidays };
}
