import { describe, expect, it } from 'vitest';
import { formatBusinessDate, formatMoney } from './format.ts';

describe('formatMoney', () => {
  // Exact decimal strings in, never a float: amounts beyond 2^53 minor units keep every digit.
  const cases: Array<[string, string, string, string]> = [
    ['1234.5', 'CNY', 'zh-CN', '¥1,234.50'],
    ['1234.50', 'CNY', 'en', 'CN¥1,234.50'],
    ['0.10', 'USD', 'en', '$0.10'],
    ['1500', 'JPY', 'en', '¥1,500'],
    ['90071992547409.93', 'CNY', 'zh-CN', '¥90,071,992,547,409.93'],
    ['-12.00', 'GBP', 'en', '-£12.00'],
    ['not a number', 'CNY', 'en', 'not a number CNY'],
  ];
  it.each(cases)('%s %s in %s → %s', (amount, currency, locale, expected) => {
    expect(formatMoney(amount, currency, locale)).toBe(expected);
  });
});

describe('formatBusinessDate', () => {
  const cases: Array<[string | null, string, string]> = [
    ['2026-03-09', 'en', 'Mar 9, 2026'],
    ['2026-03-09', 'zh-CN', '2026年3月9日'],
    // A business date has no time zone: it never slides to the previous day.
    ['2026-01-01', 'en', 'Jan 1, 2026'],
    [null, 'en', '—'],
    ['09/03/2026', 'en', '09/03/2026'],
  ];
  it.each(cases)('%s in %s → %s', (date, locale, expected) => {
    expect(formatBusinessDate(date, locale)).toBe(expected);
  });
});
