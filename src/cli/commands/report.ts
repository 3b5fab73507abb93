import type { RegisterCommand } from '../command.ts';
import { lenderTimeZone, withDatabase } from '../database.ts';
import { parseBusinessDate } from '../../shared/business-date.ts';
import { effectivenessReport } from '../../collections/effectiveness.service.ts';

/**
 * `lenity report effectiveness --from D --to D [--json]`: how each channel, rung, arm and agent did
 * (attempts, deliveries, right-party contacts, promises and how many were kept, cures, money received
 * within 7 and 30 days of the last touch).
 */
export const registerReportCommand: RegisterCommand = (program, context) => {
  const report = program.command('report').description('Reports');
  report
    .command('effectiveness')
    .description('Collections effectiveness per channel, rung, arm and agent, with last-touch attribution')
    .requiredOption('--from <date>', 'first business date of touches (YYYY-MM-DD)')
    .requiredOption('--to <date>', 'last business date of touches (YYYY-MM-DD)')
    .option('--json', 'print the report as JSON')
    .action(async (options: { from: string; to: string; json?: boolean }) => {
      const { environment, io } = context;
      const from = parseBusinessDate(options.from, '--from');
      const to = parseBusinessDate(options.to, '--to');
      await withDatabase(environment, async (handle) => {
        const result = await effectivenessReport(handle.db, from, to, lenderTimeZone(environment));
        if (options.json) {
          io.stdout(`${JSON.stringify(result)}\n`);
          return;
        }
        io.stdout(`Collections effectiveness, touches ${from} to ${to}, attribution ${result.attributionDays} days after the last touch\n`);
        io.stdout(['dimension', 'value', 'attempts', 'delivered', 'right-party', 'promises', 'kept rate', 'cases', 'cures', 'cure rate', 'recovered 7 days', 'recovered 30 days'].join('\t') + '\n');
        for (const row of result.rows) {
          const amounts = (values: Record<string, string>) => Object.entries(values).map(([currency, amount]) => `${currency} ${amount}`).join(', ') || '-';
          io.stdout([row.dimension, row.value, row.attempts, row.deliveries, row.rightPartyContacts, row.promises, row.keptRate ?? '-', row.casesTouched, row.cures, row.cureRate ?? '-',
            amounts(row.recoveredWithin7Days), amounts(row.recoveredWithin30Days)].join('\t') + '\n');
        }
      });
    });
};
