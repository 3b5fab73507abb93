import type { RegisterCommand } from '../command.ts';
import { CliExit, reportCliError, splitJsonLines } from '../io.ts';
import { parseJson } from '../../shared/input.ts';
import { problemFromError } from '../../http/problem.ts';
import { LenityError } from '../../shared/errors.ts';
import { parseScheduleTerms } from '../../lending/schedule-terms.ts';
import { formatSchedule, generateSchedule, type FormattedSchedule } from '../../lending/schedule.ts';

/** Terms JSON in, the contract's schedule JSON out. */
function scheduleFromJson(json: unknown): FormattedSchedule {
  const terms = parseScheduleTerms(json);
  return formatSchedule(generateSchedule(terms), terms.currency);
}

/**
 * `lenity schedule`: terms on standard input, the schedule on standard output; with `--jsonl`, one
 * terms object per line and one schedule (or `{"error": problem}`) per line.
 *
 * @example echo '{"principal":"100.00","currency":"USD","annualRate":"12","numberOfRepayments":3,"disbursementDate":"2024-01-01"}' | lenity schedule
 */
export const registerScheduleCommand: RegisterCommand = (program, context) => {
  program
    .command('schedule')
    .description('Print the repayment schedule of loan terms read as JSON from standard input')
    .option('--jsonl', 'one terms object per input line, one schedule per output line')
    .action(async (options: { jsonl?: boolean }) => {
      const { io } = context;
      const text = await io.readStdin();
      if (!options.jsonl) {
        try {
          io.stdout(`${JSON.stringify(scheduleFromJson(parseJson(text)))}\n`);
        } catch (error) {
          const exitCode = reportCliError(io, error);
          throw new CliExit(exitCode);
        }
        return;
      }
      // A bad line is answered on its own output line, so a batch is never lost to one mistake.
      const output: string[] = [];
      for (const line of splitJsonLines(text)) {
        try {
          output.push(JSON.stringify(scheduleFromJson(parseJson(line))));
        } catch (error) {
          if (!(error instanceof LenityError)) throw error;
          output.push(JSON.stringify({ error: problemFromError(error) }));
        }
      }
      io.stdout(output.length > 0 ? `${output.join('\n')}\n` : '');
    });
};
