import { PROBLEM_SCHEMA } from '../http/request-helpers.ts';
import { lenderTimeZone } from '../http/dependencies.ts';
import type { RouteModule } from '../http/routes.ts';
import { type Weekday, WEEKDAYS } from '../shared/business-date.ts';
import { readArray, readEnum, readObject, readString } from '../shared/input.ts';
import { validationError } from '../shared/errors.ts';
import { NON_BUSINESS_DAY_RULES, type NonBusinessDayRule } from './business-calendar.ts';
import { configureCalendar, describeCalendar, importHolidays } from './calendar.service.ts';

const ERRORS = { 400: PROBLEM_SCHEMA, 401: PROBLEM_SCHEMA, 403: PROBLEM_SCHEMA } as const;
const OBJECT = { type: 'object', additionalProperties: true } as const;
// A holiday file is a few hundred lines; this bounds one request.
const MAXIMUM_CSV_LENGTH = 200_000;

/**
 * The lender's business calendar over HTTP (`admin:calendar`), as the `lenity calendar` commands
 * set it: time zone, weekend days, the rule for a due date on a non-business day, and holidays
 * imported from CSV (`date,name`).
 */
export const calendarRoutes: RouteModule = (dependencies) => {
  const { handle } = dependencies;
  const fallbackTimeZone = lenderTimeZone(dependencies);
  return async (app) => {
    app.get('/calendar', {
      config: { permission: 'admin:calendar' },
      schema: { summary: "The lender's business calendar: time zone, weekend days, rule and holidays", tags: ['calendar'], response: { 200: OBJECT, ...ERRORS } },
    }, async () => describeCalendar(handle.db, fallbackTimeZone));

    app.put('/calendar', {
      config: { permission: 'admin:calendar' },
      schema: { summary: 'Set the time zone, weekend days and non-business-day rule', tags: ['calendar'], body: OBJECT, response: { 200: OBJECT, ...ERRORS } },
    }, async (request) => {
      const body = readObject(request.body, '(root)', ['timeZone', 'weekendDays', 'rule']);
      const weekendDays = readArray(body, 'weekendDays', '(root)').map((day, index) => {
        if (typeof day !== 'string' || !(WEEKDAYS as readonly string[]).includes(day)) throw validationError(`weekendDays.${index}`, `must be one of ${WEEKDAYS.join(', ')}`);
        return day as Weekday;
      });
      const rule = readEnum(body, 'rule', '(root)', NON_BUSINESS_DAY_RULES as readonly NonBusinessDayRule[]);
      await configureCalendar(handle.db, { timeZone: readString(body, 'timeZone', '(root)'), weekendDays, rule });
      return describeCalendar(handle.db, fallbackTimeZone);
    });

    app.post('/calendar/holidays', {
      config: { permission: 'admin:calendar' },
      schema: {
        summary: 'Import holidays from CSV text (`date,name` per line); a date already present gets the new name',
        tags: ['calendar'],
        body: { type: 'object', properties: { csv: { type: 'string', maxLength: MAXIMUM_CSV_LENGTH } }, required: ['csv'], additionalProperties: false },
        response: { 200: OBJECT, ...ERRORS },
      },
    }, async (request) => importHolidays(handle.db, (request.body as { csv: string }).csv));
  };
};
