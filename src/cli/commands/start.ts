import type { RegisterCommand } from '../command.ts';
import { withDatabase, lenderTimeZone } from '../database.ts';
import { buildServer } from '../../http/server.ts';
import { createIdGenerator } from '../../shared/ids.ts';
import { createSystemRandom } from '../../shared/random.ts';
import { calendarDateIn } from '../../shared/zoned-time.ts';
import { DEMO_BORROWER_KEY, DEMO_KEYS, DEMO_PASSWORD, DEMO_USERS, seedDemoBook } from '../demo-book.ts';
import { simulateDemoCollections } from '../demo-collections.ts';
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
        let demoCollections: Promise<unknown> = Promise.resolve();
        // Set on SIGINT/SIGTERM: the demo's simulation stops at the end of the day it is living through.
        let stopped = false;
        let collectionsPlan: Awaited<ReturnType<typeof seedDemoBook>>['collections'] = null;
        if (demoWanted) {
          const result = await seedDemoBook(handle, ids, random, businessDate(), { progress: (message) => io.stderr(`seeding demo book: ${message}\n`) });
          if (result.seeded) io.stderr(`Demo book ready: ${result.loans} loans, ${result.payments} payments.\n`);
          collectionsPlan = result.collections;
        }
        const app = await buildServer({
          handle, clock, ids, random, businessDate, timeZone, logger: environment.LENITY_LOG === 'true',
          lenderName: environment.LENITY_LENDER_NAME, lenderPhone: environment.LENITY_LENDER_PHONE,
        });
        const port = Number(environment.PORT ?? 3000);
        const host = environment.HOST ?? '0.0.0.0';
        const address = await app.listen({ port, host });
        io.stdout(`Lenity is running at ${address.replace('0.0.0.0', 'localhost')} (database: ${handle.kind} ${handle.location}, business date ${businessDate()} ${timeZone})\n`);
        io.stdout(`API documentation: ${address.replace('0.0.0.0', 'localhost')}/docs\n`);
        if (demoWanted) io.stdout(`Web application: ${address.replace('0.0.0.0', 'localhost')}/  demo users ${DEMO_USERS.map((user) => user.username).join(', ')} (password ${DEMO_PASSWORD})\n`);
        if (demoWanted) io.stdout(`Demo API keys: ${DEMO_KEYS.map((key) => `${key.role}=${key.secret}`).join('  ')}  borrower=${DEMO_BORROWER_KEY}\n`);
        // A fresh demo lives through its last 90 days of collections in the background, so the server
        // answers at once; the queue and the reports fill in as the days pass (about a minute).
        if (collectionsPlan) {
          const plan = collectionsPlan;
          demoCollections = simulateDemoCollections(handle, ids, { ...plan, timeZone, progress: (message) => io.stderr(`demo collections: ${message}\n`), shouldStop: () => stopped })
            .then((lived) => io.stderr(`Demo collections ready: ${lived.casesOpened} cases, ${lived.callsMade} calls, ${lived.promisesMade} promises, ${lived.visitsCompleted} visits.\n`))
            .catch((error: unknown) => io.stderr(`demo collections failed: ${(error as Error).message}\n`));
        }
        // End of day daily at LENITY_EOD_TIME lender time; missed dates are caught up now, in the background
        // (after the demo's days, which run their own end of day).
        let daily: ReturnType<typeof startDailyEndOfDay> | null = null;
        void demoCollections.then(() => {
          if (environment.LENITY_EOD === 'false' || stopped) return;
          daily = startDailyEndOfDay({
            handle, clock, ids, timeZone, eodTime: environment.LENITY_EOD_TIME ?? '00:30', log: (message) => io.stderr(`${message}\n`),
            lenderName: environment.LENITY_LENDER_NAME, lenderPhone: environment.LENITY_LENDER_PHONE,
          });
          daily.tick().catch((error: unknown) => io.stderr(`end of day failed: ${(error as Error).message}\n`));
        });
        await new Promise<void>((resolve) => {
          const stop = () => resolve();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        stopped = true;
        (daily as ReturnType<typeof startDailyEndOfDay> | null)?.stop();
        await app.close();
        await demoCollections;
      });
    });
};
