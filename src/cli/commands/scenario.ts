import type { RegisterCommand } from '../command.ts';
import { CliExit, reportCliError, splitJsonLines } from '../io.ts';
import { parseJson } from '../../shared/input.ts';
import { problemFromError } from '../../http/problem.ts';
import { LenityError } from '../../shared/errors.ts';
import { createScenarioRunner } from '../../scenario/scenario.service.ts';

/** A batch is run in one process on one database; a bound keeps a runaway input from running for hours. */
const MAX_BATCH_SCENARIOS = 10_000;

/**
 * `lenity scenario run`: a scenario on standard input, its results on standard output (exit 2 with
 * problem details when it is invalid); with `--jsonl`, one scenario per line and one result (or
 * `{"error": problem}`) per line, all on one in-memory database.
 *
 * @example lenity scenario run < docs/scenarios/us-late-payment.json
 */
export const registerScenarioCommand: RegisterCommand = (program, context) => {
  const scenario = program.command('scenario').description('Run loan scenarios: product terms, a loan and dated steps');
  scenario
    .command('run')
    .description('Run a scenario read as JSON from standard input and print what servicing did at each step')
    .option('--jsonl', 'one scenario per input line, one result per output line')
    .action(async (options: { jsonl?: boolean }) => {
      const { io } = context;
      const text = await io.readStdin();
      const runner = createScenarioRunner();
      try {
        if (!options.jsonl) {
          try {
            io.stdout(`${JSON.stringify(await runner.run(parseJson(text)))}\n`);
          } catch (error) {
            throw new CliExit(reportCliError(io, error));
          }
          return;
        }
        const lines = splitJsonLines(text);
        if (lines.length > MAX_BATCH_SCENARIOS) {
          throw new CliExit(reportCliError(io, new LenityError('VALIDATION_FAILED', `(root): at most ${MAX_BATCH_SCENARIOS} scenarios per batch`)));
        }
        // A bad scenario is answered on its own line, so a batch is never lost to one mistake; each
        // line is written as soon as it is done, so a long batch shows progress.
        for (const line of lines) {
          try {
            io.stdout(`${JSON.stringify(await runner.run(parseJson(line)))}\n`);
          } catch (error) {
            if (!(error instanceof LenityError)) throw error;
            io.stdout(`${JSON.stringify({ error: problemFromError(error) })}\n`);
          }
        }
      } finally {
        await runner.close();
      }
    });
};
