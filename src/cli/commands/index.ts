import type { RegisterCommand } from '../command.ts';
import { registerScheduleCommand } from './schedule.ts';

/** Every `lenity` subcommand, in help order. */
export const COMMANDS: RegisterCommand[] = [registerScheduleCommand];
