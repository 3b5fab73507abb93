import type { RegisterCommand } from '../command.ts';
import { withDatabase, lenderTimeZone } from '../database.ts';
import { seedDemoBook } from '../demo-book.ts';
import { simulateDemoCollections } from '../demo-collections.ts';
import { createProgressBar } from '../progress.ts';
import { createIdGenerator } from '../../shared/ids.ts';
import { createRandom } from '../../shared/random.ts';
import { calendarDateIn } from '../../shared/zoned-time.ts';
import { validationError } from '../../shared/errors.ts';
import { MAX_SEED_LOANS, seedSyntheticBook } from '../../eod/synthetic-book.service.ts';

/**
 * `lenity seed`: the demo portfolio (products, keys, loans with payment histories, and the last 90
 * days of collections lived through) on an empty database; with `--loans N` a synthetic book of N loans whose borrowers follow behaviour profiles
 * (replayed day by day by `lenity simulate` with the same seed).
 */
export const registerSeedCommand: RegisterCommand = (program, context) => {
  program
    .command('seed')
    .description('Seed the demo portfolio, or with --loans a synthetic book of that many loans')
    .option('--loans <count>', `loans of a synthetic book (1 to ${MAX_SEED_LOANS}); without it, the demo portfolio`)
    .option('--seed <number>', 'random seed (the same seed gives the same book)', '1')
    .option('--json', 'print the outcome as JSON')
    .action(async (options: { loans?: string; seed: string; json?: boolean }) => {
      const seed = Number(options.seed);
      if (!Number.isSafeInteger(seed)) throw validationError('--seed', 'must be an integer');
      const loans = options.loans === undefined ? null : Number(options.loans);
      if (loans !== null && (!Number.isSafeInteger(loans) || loans < 1 || loans > MAX_SEED_LOANS)) throw validationError('--loans', `must be an integer from 1 to ${MAX_SEED_LOANS}`);
      await withDatabase(context.environment, async (handle) => {
        const random = createRandom(seed);
        const ids = createIdGenerator(context.clock, random);
        const today = calendarDateIn(context.clock.now(), lenderTimeZone(context.environment));
        if (loans === null) {
          const progress = (message: string) => context.io.stderr(`${message}\n`);
          const seeded = await seedDemoBook(handle, ids, random, today, { progress });
          const collections = seeded.collections ? await simulateDemoCollections(handle, ids, { ...seeded.collections, timeZone: lenderTimeZone(context.environment), progress }) : null;
          const result = { ...seeded, collections };
          const lived = result.collections ? ` Collections: ${result.collections.casesOpened} cases, ${result.collections.callsMade} calls, ${result.collections.promisesMade} promises, ${result.collections.visitsCompleted} visits, ${result.collections.messagesSent} messages over the last 90 days.` : '';
          context.io.stdout(result.seeded ? `Seeded ${result.loans} loans and ${result.payments} payments.${lived}\n` : 'The database already has products; nothing seeded.\n');
          return;
        }
        const bar = createProgressBar({ label: 'loans', total: loans, enabled: Boolean(process.stderr.isTTY) && !options.json, write: (text) => context.io.stderr(text) });
        const result = await seedSyntheticBook(handle.db, ids, { loans, seed, today, onProgress: (done) => bar.update(done) });
        bar.finish();
        if (options.json) context.io.stdout(`${JSON.stringify({ ...result, seed, businessDate: today })}\n`);
        else context.io.stdout(`Seeded a synthetic book of ${result.loans} loans (seed ${seed}); run \`lenity simulate --days 90 --seed ${seed}\` to live through it.\n`);
      });
    });
};
