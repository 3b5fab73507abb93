import { readFileSync } from 'node:fs';
import type { RegisterCommand } from '../command.ts';
import { withDatabase, lenderTimeZone } from '../database.ts';
import { validationError } from '../../shared/errors.ts';
import { configureCalendar, importHolidays, loadCalendar } from '../../eod/calendar.service.ts';
import { NON_BUSINESS_DAY_RULES, type NonBusinessDayRule, parseWeekendDays } from '../../eod/business-calendar.ts';

/** `lenity calendar import <file.csv>` and `lenity calendar set`: the lender's business calendar. */
export const registerCalendarCommand: RegisterCommand = (program, context) => {
  const calendar = program.command('calendar').description("The lender's business calendar: holidays, weekends, time zone");
  calendar
    .command('import')
    .description('Import holidays from a CSV file of date,name lines')
    .argument('<file>', 'CSV file')
    .action(async (file: string) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        throw validationError('file', `cannot read ${file}: ${(error as Error).message}`);
      }
      const result = await withDatabase(context.environment, (handle) => importHolidays(handle.db, text));
      context.io.stdout(`Imported ${result.imported} holidays.\n`);
    });
  calendar
    .command('set')
    .description('Set the time zone, weekend days and the rule for due dates on non-business days')
    .option('--time-zone <zone>', 'IANA time zone of the lender')
    .option('--weekend <days>', 'weekend days, e.g. sat,sun')
    .option('--rule <rule>', `due dates on non-business days: ${NON_BUSINESS_DAY_RULES.join(' | ')}`)
    .action(async (options: { timeZone?: string; weekend?: string; rule?: string }) => {
      if (options.rule !== undefined && !(NON_BUSINESS_DAY_RULES as readonly string[]).includes(options.rule)) throw validationError('--rule', `must be one of ${NON_BUSINESS_DAY_RULES.join(', ')}`);
      await withDatabase(context.environment, async (handle) => {
        const current = await loadCalendar(handle.db, lenderTimeZone(context.environment));
        await configureCalendar(handle.db, {
          timeZone: options.timeZone ?? current.timeZone,
          weekendDays: options.weekend !== undefined ? parseWeekendDays(options.weekend) : current.weekendDays,
          rule: (options.rule as NonBusinessDayRule | undefined) ?? current.rule,
        });
      });
      context.io.stdout('Calendar saved.\n');
    });
};
