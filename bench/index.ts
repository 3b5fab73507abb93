import type { Benchmark } from './benchmark.ts';
import { collectionsBenchmark } from './collections.ts';
import { complianceBenchmark } from './compliance.ts';
import { endOfDayBenchmark } from './eod.ts';
import { servicingBenchmark } from './servicing.ts';

/** Every benchmark, by the name given to `npm run bench -- <name>`. */
export const BENCHMARKS: Record<string, Benchmark> = {
  servicing: servicingBenchmark,
  compliance: complianceBenchmark,
  eod: endOfDayBenchmark,
  collections: collectionsBenchmark,
};
