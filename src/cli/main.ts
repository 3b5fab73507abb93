import { Command, CommanderError } from 'commander';
import { type CliIo, processIo, reportCliError } from './io.ts';
import { type Clock, systemClock } from '../shared/clock.ts';
import { COMMANDS } from './commands/index.ts';

export interface MainOptions {
  io?: CliIo;
  clock?: Clock;
  environment?: NodeJS.ProcessEnv;
}

/**
 * Runs the `lenity` command line and returns its exit code (never calls process.exit).
 *
 * @example await main(['schedule'], { io: createMemoryIo(termsJson) })
 */
export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  const io = options.io ?? processIo;
  const context = { io, clock: options.clock ?? systemClock, environment: options.environment ?? process.env };
  const program = new Command('lenity')
    .description('Lenity: consumer-credit servicing and fair, lawful collections')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout(text), writeErr: (text) => io.stderr(text) });
  for (const register of COMMANDS) register(program, context);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help' ? 0 : 2;
    }
    return reportCliError(io, error);
  }
}
