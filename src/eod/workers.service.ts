import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BusinessDate } from '../shared/business-date.ts';
import { LenityError } from '../shared/errors.ts';

/** Most worker processes one command starts. */
export const MAX_WORKERS = 64;

const CLI_ENTRY = fileURLToPath(new URL('../../bin/lenity.js', import.meta.url));

/**
 * Starts `count` worker processes (`lenity eod --dates D1,D2 --worker`) that claim the dates'
 * partitions through the database, date after date, and waits for all of them. Any process on any
 * machine with the same DATABASE_URL could do the same: the claims need no coordinator.
 *
 * @example await runWorkerProcesses(['2026-03-09'], 3, process.env, { chunkSize: 1000, partitions: 8 })
 */
export async function runWorkerProcesses(dates: readonly BusinessDate[], count: number, environment: NodeJS.ProcessEnv, options: { chunkSize: number; partitions: number }): Promise<void> {
  const children = Array.from({ length: count }, (_, index) =>
    new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI_ENTRY, 'eod', '--dates', dates.join(','), '--worker', '--chunk-size', String(options.chunkSize), '--partitions', String(options.partitions), '--json'], {
        env: { ...environment, LENITY_EOD_WORKER_NAME: `worker-${index + 1}-of-${count}` },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let errors = '';
      child.stderr.on('data', (data: Buffer) => {
        errors += data.toString('utf8');
      });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new LenityError('INTERNAL', `end-of-day worker ${index + 1} exited with ${code}: ${errors.slice(0, 2000)}`))));
    }),
  );
  await Promise.all(children);
}
