import { divideRounded, type RoundingMode } from './rounding.ts';
import { validationError } from './errors.ts';
import { formatScaled } from './money.ts';

/**
 * Fixed-point decimals for rates and factors: a bigint holding value × 10^DECIMAL_SCALE. Money is
 * never a `Fixed`; a rate meets money only through `applyRate`, which names its rounding.
 */
export type Fixed = bigint;

export const DECIMAL_SCALE = 30;
export const ONE: Fixed = 10n ** BigInt(DECIMAL_SCALE);

const DECIMAL_PATTERN = /^(-)?(\d+)(?:\.(\d+))?$/;

export interface ParseDecimalOptions {
  field?: string;
  allowNegative?: boolean;
  maxPlaces?: number;
}

/** Parses a decimal string exactly into a `Fixed`. @example parseDecimal('12.5') === 125n * 10n ** 29n */
export function parseDecimal(value: unknown, options: ParseDecimalOptions = {}): Fixed {
  const field = options.field ?? 'value';
  if (typeof value !== 'string') throw validationError(field, 'must be a decimal string such as "12.5"');
  const match = DECIMAL_PATTERN.exec(value);
  if (!match) throw validationError(field, `"${value}" is not a decimal number`);
  const [, sign, whole, fraction = ''] = match;
  const maxPlaces = Math.min(options.maxPlaces ?? DECIMAL_SCALE, DECIMAL_SCALE);
  if (fraction.length > maxPlaces) throw validationError(field, `"${value}" has more than ${maxPlaces} decimal places`);
  if (sign && !options.allowNegative) throw validationError(field, 'must not be negative');
  const fixed = BigInt(whole + fraction.padEnd(DECIMAL_SCALE, '0'));
  return sign ? -fixed : fixed;
}

export function fixedFromInteger(value: bigint | number): Fixed {
  return BigInt(value) * ONE;
}

/** a × b, rounded to the fixed scale with `mode` (half-even unless named). */
export function multiplyFixed(a: Fixed, b: Fixed, mode: RoundingMode = 'half-even'): Fixed {
  return divideRounded(a * b, ONE, mode);
}

/** a ÷ b, rounded to the fixed scale with `mode` (half-even unless named). */
export function divideFixed(a: Fixed, b: Fixed, mode: RoundingMode = 'half-even'): Fixed {
  return divideRounded(a * ONE, b, mode);
}

/**
 * a × b truncated towards zero, for the intermediates of an iteration (Newton's method for a rate of
 * return) that stops at a tolerance of a million units of 10⁻³⁰: an error of one unit per operation
 * cannot move its answer, and a named rounding on every operation costs several times the
 * arithmetic. A figure that is shown or stored is still rounded with a named mode.
 */
export function multiplyFixedTruncated(a: Fixed, b: Fixed): Fixed {
  return (a * b) / ONE;
}

/** a ÷ b truncated towards zero, for iteration intermediates as `multiplyFixedTruncated` explains. */
export function divideFixedTruncated(a: Fixed, b: Fixed): Fixed {
  return (a * ONE) / b;
}

/** base^exponent for a non-negative integer exponent, by squaring. */
export function powerFixed(base: Fixed, exponent: number): Fixed {
  let result = ONE;
  let factor = base;
  let remaining = exponent;
  while (remaining > 0) {
    if (remaining & 1) result = multiplyFixed(result, factor);
    remaining >>= 1;
    if (remaining > 0) factor = multiplyFixed(factor, factor);
  }
  return result;
}

/**
 * Applies a rate to a money amount: amountMinor × rate, rounded to minor units with `mode`.
 *
 * @example applyRate(10000n, parseDecimal('0.015'), 'half-even') // 150n
 */
export function applyRate(amountMinor: bigint, rate: Fixed, mode: RoundingMode): bigint {
  return divideRounded(amountMinor * rate, ONE, mode);
}

/** Rounds a `Fixed` to `places` decimals with `mode` and formats it ("12.68"). */
export function formatFixed(value: Fixed, places: number, mode: RoundingMode = 'half-even'): string {
  const scaled = divideRounded(value, 10n ** BigInt(DECIMAL_SCALE - places), mode);
  return formatScaled(scaled, places);
}

/** Formats a `Fixed` without trailing zeros ("12.5", "0"). */
export function formatFixedShortest(value: Fixed): string {
  const text = formatScaled(value, DECIMAL_SCALE);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}
