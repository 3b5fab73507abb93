/**
 * The one place where Lenity rounds. Every rounding names its mode.
 *
 * Modes follow java.math.RoundingMode, which peer servicing systems use:
 * - `half-even`: to the nearest, ties to the even neighbour (banker's rounding)
 * - `half-up`: to the nearest, ties away from zero
 * - `down`: towards zero (truncate)
 * - `up`: away from zero
 *
 * @example divideRounded(5n, 2n, 'half-even') // 2n
 */
export type RoundingMode = 'half-even' | 'half-up' | 'down' | 'up';

export const ROUNDING_MODES: readonly RoundingMode[] = ['half-even', 'half-up', 'down', 'up'];

export function isRoundingMode(value: unknown): value is RoundingMode {
  return typeof value === 'string' && (ROUNDING_MODES as readonly string[]).includes(value);
}

/** numerator / denominator as an integer, rounded with `mode`. */
export function divideRounded(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  if (denominator < 0n) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  let quotient = magnitude / denominator;
  const remainder = magnitude - quotient * denominator;
  if (remainder !== 0n) {
    switch (mode) {
      case 'down':
        break;
      case 'up':
        quotient += 1n;
        break;
      case 'half-up':
        if (remainder * 2n >= denominator) quotient += 1n;
        break;
      case 'half-even': {
        const twice = remainder * 2n;
        if (twice > denominator || (twice === denominator && (quotient & 1n) === 1n)) quotient += 1n;
        break;
      }
    }
  }
  return negative ? -quotient : quotient;
}

/** Rounds `value` to a multiple of `step` (step > 0) with `mode`. */
export function roundToMultiple(value: bigint, step: bigint, mode: RoundingMode): bigint {
  if (step <= 0n) throw new RangeError('step must be positive');
  return divideRounded(value, step, mode) * step;
}

/**
 * Splits an amount into `parts` shares that differ by at most one minor unit and add up to the
 * amount exactly: the remainder goes, one unit each, to the first shares.
 *
 * @example splitEvenly(1000n, 3) // [334n, 333n, 333n]
 */
export function splitEvenly(amountMinor: bigint, parts: number): bigint[] {
  if (!Number.isSafeInteger(parts) || parts < 1) throw new RangeError('parts must be a positive integer');
  const count = BigInt(parts);
  const share = amountMinor / count;
  const remainder = amountMinor - share * count;
  const unit = remainder < 0n ? -1n : 1n;
  const extra = Number(remainder < 0n ? -remainder : remainder);
  return Array.from({ length: parts }, (_, index) => (index < extra ? share + unit : share));
}
