import type { RegisterCommand } from '../command.ts';
import { withDatabase } from '../database.ts';
import { parseBusinessDate } from '../../shared/business-date.ts';
import { createIdGenerator } from '../../shared/ids.ts';
import { createSystemRandom } from '../../shared/random.ts';
import { runCollections } from '../../collections/case.service.ts';

/**
 * `lenity collections run --date D [--json]`: the daily collections run after `lenity eod` for D.
 * It opens and closes cases from the day's events, judges promises and proposes each case's due
 * rungs through the contact gate. Running it again for the same date adds nothing.
 */
export const registerCollectionsCommand: RegisterCommand = (program, context) => {
  const collections = program.command('collections').description('Collections cases: the daily run');
  collections
    .command('run')
    .description('Open and close cases from new events, judge promises, and propose the rungs due on a business date')
    .requiredOption('--date <date>', 'the business date (YYYY-MM-DD), after its end of day')
    .option('--json', 'print the summary as JSON')
    .action(async (options: { date: string; json?: boolean }) => {
      const { environment, io, clock } = context;
      const date = parseBusinessDate(options.date, '--date');
      await withDatabase(environment, async (handle) => {
        const ids = createIdGenerator(clock, createSystemRandom());
        const summary = await runCollections(handle.db, ids, clock, date, {
          lenderName: environment.LENITY_LENDER_NAME ?? 'Lenity',
          lenderPhone: environment.LENITY_LENDER_PHONE ?? '',
        });
        if (options.json) {
          io.stdout(`${JSON.stringify(summary)}\n`);
          return;
        }
        io.stdout(
          `${date}: ${summary.eventsRead} events, ${summary.casesOpened} cases opened, ${summary.casesClosed} closed, ${summary.casesWorked} worked; `
          + `${summary.messagesQueued} messages queued, ${summary.messagesDeferred} deferred, ${summary.contactsDenied} refused by the gate, `
          + `${summary.callTasks} call tasks, ${summary.visitsRequested} visits requested, ${summary.casesAssigned} cases assigned; ${summary.promisesJudged} promises judged (${summary.promisesBroken} broken)\n`,
        );
      });
    });
};
