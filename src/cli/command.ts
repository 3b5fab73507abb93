import type { Command } from 'commander';
import type { CliIo } from './io.ts';
import type { Clock } from '../shared/clock.ts';

/** What every command gets: its I/O and the clock; commands open the database themselves when needed. */
export interface CliContext {
  io: CliIo;
  clock: Clock;
  environment: NodeJS.ProcessEnv;
}

/**
 * A command module adds its subcommand(s) to the program. The action must throw on failure
 * (a LenityError for bad input) and never call process.exit.
 *
 * @example export const registerScheduleCommand: RegisterCommand = (program, context) => { program.command('schedule')… }
 */
export type RegisterCommand = (program: Command, context: CliContext) => void;
