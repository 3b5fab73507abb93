import type { RegisterCommand } from '../command.ts';
import { withDatabase, lenderTimeZone } from '../database.ts';
import { buildServer } from '../../http/server.ts';
import { createIdGenerator } from '../../shared/ids.ts';
import { createSystemRandom } from '../../shared/random.ts';
import { calendarDateIn } from '../../shared/zoned-time.ts';
import { DEMO_BORROWER_KEY, DEMO_KEYS, DEMO_PASSWORD, DEMO_USERS, seedDemoBook } from '../demo-book.ts';
import { startDailyEndOfDay } from '../../eod/eod-scheduler.service.ts';

/**
 * `lenity start`: the server (API, OpenAPI docs) on the configured database; on an empty embedded
 * database it first seeds the demo portfolio so a fresh clone shows a live book.
 */
export const registerStartCommand: RegisterCommand = (program, context) => {
  program
    .command('start')
    .description('Start the Lenity server (PORT, HOST, DATABASE_URL or LENITY_DATA, LENITY_TIME_ZONE, LENITY_DEMO, LENITY_EOD_TIME, LENITY_EOD)')
    .action(async () => {
      const { environment, io, clock } = context;
      await withDatabase(environment, async (handle) => {
        const random = createSystemRandom();
        const ids = createIdGenerator(clock, random);
        const timeZone = lenderTimeZone(environment);
        const businessDate = () => calendarDateIn(clock.now(), timeZone);
        const demoWanted = environment.LENITY_DEMO ? environment.LENITY_DEMO !== 'false' : handle.kind === 'pglite';
        if (demoWanted) {
          const result = await seedDemoBook(handle, ids, random, businessDate(), { progress: (message) => io.stderr(`seeding demo book: ${message}\n`) });
          if (result.seeded) io.stderr(`Demo book ready: ${result.loans} loans, ${result.payments} payments.\n`);
        }
        const app = await buildServer({ handle, clock, ids, random, businessDate, timeZone, logger: environment.LENITY_LOG === 'true' });
        const port = Number(environment.PORT ?? 3000);
        const host = environment.HOST ?? '0.0.0.0';
        const address = await app.listen({ port, host });
        io.stdout(`Lenity is running at ${address.replace('0.0.0.0', 'localhost')} (database: ${handle.kind} ${handle.location}, business date ${businessDate()} ${timeZone})\n`);
        io.stdout(`API documentation: ${address.replace('0.0.0.0', 'localhost')}/docs\n`);
        if (demoWanted) io.stdout(`Web application: ${address.replace('0.0.0.0', 'localhost')}/  demo users ${DEMO_USERS.map((user) => user.username).join(', ')} (password ${DEMO_PASSWORD})\n`);
        if (demoWanted) io.stdout(`Demo API keys: ${DEMO_KEYS.map((key) => `${key.role}=${key.secret}`).join('  ')}  borrower=${DEMO_BORROWER_KEY}\n`);
        // End of day daily at LENITY_EOD_TIME lender time; missed dates are caught up now, in the background.
        const daily = environment.LENITY_EOD === 'false'
          ? null
          : startDailyEndOfDay({
            handle, clock, ids, timeZone, eodTime: environment.LENITY_EOD_TIME ?? '00:30', log: (message) => io.stderr(`${message}\n`),
            lenderName: environment.LENITY_LENDER_NAME, lenderPhone: environment.LENITY_LENDER_PHONE,
          });
        daily?.tick().catch((error: unknown) => io.stderr(`end of day failed: ${(error as Error).message}\n`));
        await new Promise<void>((resolve) => {
          const stop = () => resolve();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        daily?.stop();
        await app.close();
      });
    });
};
