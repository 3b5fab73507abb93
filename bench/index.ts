import type { Benchmark } from './benchmark.ts';
import { complianceBenchmark } from './compliance.ts';

/** Every benchmark, by the name given to `npm run bench -- <name>`. */
export const BENCHMARKS: Record<string, Benchmark> = {
  compliance: complianceBenchmark,
};
