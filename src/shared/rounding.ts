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
