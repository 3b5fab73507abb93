import type { RegisterCommand } from '../command.ts';

/** Every `lenity` subcommand, in help order. */
export const COMMANDS: RegisterCommand[] = [];
