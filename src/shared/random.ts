/**
 * Seeded randomness (sfc32), injected wherever chance is involved so runs reproduce from a seed.
 * Never used for money arithmetic: money drawn at random comes from `integerBetween`.
 */
export interface Random {
  /** A uniformly distributed 32-bit unsigned integer. */
  nextUint32(): number;
  /** A float in [0, 1), for probabilities only. */
  next(): number;
  /** An integer in [min, max], inclusive. */
  integerBetween(min: number, max: number): number;
  /** true with the given probability. */
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
}

export function createRandom(seed: number): Random {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const nextUint32 = (): number => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    const t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    const result = (t + d) | 0;
    c = (c + result) | 0;
    return result >>> 0;
  };
  for (let warmup = 0; warmup < 15; warmup++) nextUint32();
  const next = () => nextUint32() / 4294967296;
  return {
    nextUint32,
    next,
    integerBetween: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (probability) => next() < probability,
    pick: (items) => items[Math.floor(next() * items.length)]!,
  };
}

/** Randomness for production: seeded from the platform's secure source. */
export function createSystemRandom(): Random {
  const seed = crypto.getRandomValues(new Uint32Array(1))[0]!;
  return createRandom(seed);
}
