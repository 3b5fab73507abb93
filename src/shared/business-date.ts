import { validationError } from './errors.ts';

/**
 * A business date in the lender's calendar ("2026-03-09"), distinct from an instant. Arithmetic runs
 * on epoch days (days since 1970-01-01), with the proleptic Gregorian calendar.
 */
export type BusinessDate = string & { readonly __brand: 'BusinessDate' };

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Validates "YYYY-MM-DD" as a real calendar date, naming `field` in the error. */
export function parseBusinessDate(value: unknown, field = 'date'): BusinessDate {
  if (typeof value !== 'string') throw validationError(field, 'must be a date such as "2026-03-09"', 'INVALID_DATE');
  const match = DATE_PATTERN.exec(value);
  if (!match) throw validationError(field, `"${value}" is not a date in the form YYYY-MM-DD`, 'INVALID_DATE');
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1900 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw validationError(field, `"${value}" is not a calendar date`, 'INVALID_DATE');
  }
  return value as BusinessDate;
}

// A daily run asks for the same few hundred dates millions of times: both directions are
// remembered (bounded, so a long-lived process does not grow without end).
const MAX_REMEMBERED_DATES = 50_000;
const epochDayOfText = new Map<string, number>();
const textOfEpochDay = new Map<number, BusinessDate>();

/** Days since 1970-01-01 (civil-from-days algorithm; exact for every Gregorian date). */
export function toEpochDay(date: BusinessDate | string): number {
  const remembered = epochDayOfText.get(date);
  if (remembered !== undefined) return remembered;
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  const epochDay = epochDayFromParts(year, month, day);
  if (epochDayOfText.size >= MAX_REMEMBERED_DATES) epochDayOfText.clear();
  epochDayOfText.set(date, epochDay);
  return epochDay;
}

export function epochDayFromParts(year: number, month: number, day: number): number {
  const shiftedYear = month <= 2 ? year - 1 : year;
  const era = Math.floor(shiftedYear / 400);
  const yearOfEra = shiftedYear - era * 400;
  const monthIndex = (month + 9) % 12;
  const dayOfYear = Math.floor((153 * monthIndex + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

export interface DateParts {
  year: number;
  month: number;
  day: number;
}

export function partsFromEpochDay(epochDay: number): DateParts {
  const shifted = epochDay + 719468;
  const era = Math.floor(shifted / 146097);
  const dayOfEra = shifted - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

export function fromEpochDay(epochDay: number): BusinessDate {
  const remembered = textOfEpochDay.get(epochDay);
  if (remembered !== undefined) return remembered;
  const { year, month, day } = partsFromEpochDay(epochDay);
  const text = formatDateParts(year, month, day);
  if (textOfEpochDay.size >= MAX_REMEMBERED_DATES) textOfEpochDay.clear();
  textOfEpochDay.set(epochDay, text);
  return text;
}

export function formatDateParts(year: number, month: number, day: number): BusinessDate {
  return `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}` as BusinessDate;
}

export function addDays(date: BusinessDate, days: number): BusinessDate {
  return fromEpochDay(toEpochDay(date) + days);
}

/** Adds calendar months; a day that does not exist in the target month falls on its last day. */
export function addMonths(date: BusinessDate, months: number): BusinessDate {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  const monthIndex = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = monthIndex - targetYear * 12 + 1;
  return formatDateParts(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth)));
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: BusinessDate, to: BusinessDate): number {
  return toEpochDay(to) - toEpochDay(from);
}

export function weekdayOf(date: BusinessDate): Weekday {
  // 1970-01-01 was a Thursday.
  const index = (((toEpochDay(date) + 3) % 7) + 7) % 7;
  return WEEKDAYS[index]!;
}

export function compareDates(a: BusinessDate, b: BusinessDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function maxDate(a: BusinessDate, b: BusinessDate): BusinessDate {
  return a > b ? a : b;
}

export function minDate(a: BusinessDate, b: BusinessDate): BusinessDate {
  return a < b ? a : b;
}
