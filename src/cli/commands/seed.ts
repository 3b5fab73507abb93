import type { RegisterCommand } from '../command.ts';
import { withDatabase, lenderTimeZone } from '../database.ts';
import { seedDemoBook } from '../demo-book.ts';
import { createIdGenerator } from '../../shared/ids.ts';
import { createRandom } from '../../shared/random.ts';
import { calendarDateIn } from '../../shared/zoned-time.ts';
import { validationError } from '../../shared/errors.ts';

/** `lenity seed`: the demo portfolio (products, keys, loans with payment histories) on an empty database. */
export const registerSeedCommand: RegisterCommand = (program, context) => {
  program
    .command('seed')
    .description('Seed the demo portfolio into an empty database')
    .option('--loans <count>', 'loans per product', '60')
    .option('--seed <number>', 'random seed (the same seed gives the same book)', '1')
    .action(async (options: { loans: string; seed: string }) => {
      const loansPerProduct = Number(options.loans);
      const seed = Number(options.seed);
      if (!Number.isSafeInteger(loansPerProduct) || loansPerProduct < 1 || loansPerProduct > 100_000) throw validationError('--loans', 'must be an integer from 1 to 100000');
      if (!Number.isSafeInteger(seed)) throw validationError('--seed', 'must be an integer');
      await withDatabase(context.environment, async (handle) => {
        const random = createRandom(seed);
        const ids = createIdGenerator(context.clock, random);
        const today = calendarDateIn(context.clock.now(), lenderTimeZone(context.environment));
        const result = await seedDemoBook(handle, ids, random, today, { loansPerProduct, progress: (message) => context.io.stderr(`${message}\n`) });
        context.io.stdout(result.seeded ? `Seeded ${result.loans} loans and ${result.payments} payments.\n` : 'The database already has products; nothing seeded.\n');
      });
    });
};
