/**
 * Money and dates for people, per locale. Amounts arrive as exact decimal strings ("1234.50") and
 * are formatted as strings (Intl.NumberFormat accepts them), never through a binary float.
 */

/**
 * @example formatMoney('1234.5', 'CNY', 'zh-CN') // '¥1,234.50'
 */
export function formatMoney(amount: string, currency: string, locale: string): string {
  if (!/^-?\d+(\.\d+)?$/.test(amount)) return `${amount} ${currency}`;
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount as `${number}`);
}

/**
 * A business date (`YYYY-MM-DD`, a calendar day with no time zone).
 *
 * @example formatBusinessDate('2026-03-09', 'en') // 'Mar 9, 2026'
 */
export function formatBusinessDate(date: string | null | undefined, locale: string): string {
  if (!date) return '—';
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return date;
  const instant = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(instant);
}

/** An instant (ISO 8601), in the viewer's time zone. */
export function formatInstant(instant: string | null | undefined, locale: string): string {
  if (!instant) return '—';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(instant));
}

/** Today's calendar date on this device, `YYYY-MM-DD`. */
export function todayOnDevice(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}
