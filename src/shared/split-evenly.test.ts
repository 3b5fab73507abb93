import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { splitEvenly } from './rounding.ts';

describe('splitEvenly', () => {
  it.each([
    { amountMinor: 1000n, parts: 3, shares: [334n, 333n, 333n] },
    { amountMinor: 1000n, parts: 2, shares: [500n, 500n] },
    { amountMinor: 2n, parts: 3, shares: [1n, 1n, 0n] },
    { amountMinor: 0n, parts: 4, shares: [0n, 0n, 0n, 0n] },
    { amountMinor: -1000n, parts: 3, shares: [-334n, -333n, -333n] },
    { amountMinor: 7n, parts: 1, shares: [7n] },
  ])('splits $amountMinor into $parts', ({ amountMinor, parts, shares }) => {
    expect(splitEvenly(amountMinor, parts)).toEqual(shares);
  });

  it('refuses a count of parts that is not a positive integer', () => {
    expect(() => splitEvenly(10n, 0)).toThrow(RangeError);
    expect(() => splitEvenly(10n, 1.5)).toThrow(RangeError);
  });

  it('adds up to the amount exactly, with shares at most one minor unit apart', () => {
    fc.assert(fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.integer({ min: 1, max: 500 }), (amountMinor, parts) => {
      const shares = splitEvenly(amountMinor, parts);
      expect(shares).toHaveLength(parts);
      expect(shares.reduce((total, share) => total + share, 0n)).toBe(amountMinor);
      const sorted = [...shares].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      expect(sorted.at(-1)! - sorted[0]!).toBeLessThanOrEqual(1n);
    }));
  });
});
