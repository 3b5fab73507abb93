import { sql } from 'kysely';
import { type DatabaseHandle, databaseOptionsFromEnvironment, openDatabase } from '../src/db/database.ts';

/**
 * A benchmark prints its figures beside a reference measured in the same run on the same machine:
 * on noisy machines a ratio holds where an absolute time does not.
 */
export interface BenchmarkOptions {
  /** Extra command-line options after the benchmark's name (e.g. ["--loans", "1000"]). */
  args: string[];
  environment: NodeJS.ProcessEnv;
  /** Progress for people; silent when --json is given. */
  progress(message: string): void;
}

export interface Benchmark {
  description: string;
  /** Returns one flat JSON object of figures, printed as one line with --json. */
  run(options: BenchmarkOptions): Promise<Record<string, unknown>>;
}

/** Runs `work` repeatedly for at least `minimumMs` and returns operations per second. */
export function measureThroughput(work: () => void, minimumMs = 1000): { operationsPerSecond: number; operations: number; elapsedMs: number } {
  let operations = 0;
  const start = performance.now();
  let elapsedMs = 0;
  while (elapsedMs < minimumMs) {
    for (let index = 0; index < 100; index++) work();
    operations += 100;
    elapsedMs = performance.now() - start;
  }
  return { operationsPerSecond: Math.round((operations * 1000) / elapsedMs), operations, elapsedMs };
}

/** Reads `--name value` from benchmark arguments. */
export function readOption(args: string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
}

/**
 * The benchmark's own database: a fresh schema on the configured PostgreSQL server (dropped again
 * when the benchmark closes it, so runs leave nothing behind), else embedded PGlite in memory.
 *
 * @example const handle = await openBenchmarkDatabase(environment, 'eod');
 */
export async function openBenchmarkDatabase(environment: NodeJS.ProcessEnv, name: string): Promise<DatabaseHandle> {
  const options = databaseOptionsFromEnvironment(environment);
  if (!options.url) return openDatabase({ dataDir: 'memory' });
  const schema = `bench_${name}_${Date.now().toString(36)}`;
  const handle = await openDatabase({ ...options, schema });
  return {
    ...handle,
    close: async () => {
      await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(handle.db);
      await handle.close();
    },
  };
}
