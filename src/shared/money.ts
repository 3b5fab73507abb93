import { type CurrencyCode, minorDigits } from './currency.ts';
import { validationError } from './errors.ts';

const DECIMAL_PATTERN = /^(-)?(\d+)(?:\.(\d+))?$/;

export interface ParseMoneyOptions {
  /** Name of the input field, used in error messages. */
  field?: string;
  allowNegative?: boolean;
  allowZero?: boolean;
}

/**
 * Parses a decimal string ("1234.50") into integer minor units of `currency`. More fractional digits
 * than the currency has is an error, never a silent rounding.
 *
 * @example parseMoney('12.5', 'CNY' as CurrencyCode) // 1250n
 */
export function parseMoney(value: unknown, currency: CurrencyCode, options: ParseMoneyOptions = {}): bigint {
  const field = options.field ?? 'amount';
  if (typeof value !== 'string') throw validationError(field, 'must be a decimal string such as "1234.50"', 'INVALID_AMOUNT');
  const match = DECIMAL_PATTERN.exec(value);
  if (!match) throw validationError(field, `"${value}" is not a decimal amount`, 'INVALID_AMOUNT');
  const [, sign, whole, fraction = ''] = match;
  const digits = minorDigits(currency);
  if (fraction.length > digits) {
    throw validationError(field, `"${value}" has more than ${digits} decimal places for ${currency}`, 'INVALID_AMOUNT');
  }
  const minor = BigInt(whole + fraction.padEnd(digits, '0')) * (sign ? -1n : 1n);
  if (minor < 0n && !options.allowNegative) throw validationError(field, 'must not be negative', 'INVALID_AMOUNT');
  if (minor === 0n && options.allowZero === false) throw validationError(field, 'must be greater than zero', 'INVALID_AMOUNT');
  return minor;
}

/**
 * Formats minor units as a decimal string with exactly the currency's digits.
 *
 * @example formatMoney(1250n, 'CNY' as CurrencyCode) // "12.50"
 */
export function formatMoney(amountMinor: bigint, currency: CurrencyCode): string {
  return formatScaled(amountMinor, minorDigits(currency));
}

/** Formats an integer scaled by 10^places as a decimal string with exactly `places` digits. */
export function formatScaled(value: bigint, places: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(places + 1, '0');
  const whole = digits.slice(0, digits.length - places);
  const fraction = places > 0 ? `.${digits.slice(digits.length - places)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** 10^digits as a bigint: the number of minor units in one major unit. */
export function minorUnitsPerMajor(currency: CurrencyCode): bigint {
  return 10n ** BigInt(minorDigits(currency));
}

export function sumMinor(values: Iterable<bigint>): bigint {
  let total = 0n;
  for (const value of values) total += value;
  return total;
}

export function minMinor(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

export function maxMinor(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
