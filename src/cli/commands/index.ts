import type { RegisterCommand } from '../command.ts';
import { registerScheduleCommand } from './schedule.ts';
import { registerScenarioCommand } from './scenario.ts';

/** Every `lenity` subcommand, in help order. */
export const COMMANDS: RegisterCommand[] = [registerScheduleCommand, registerScenarioCommand];
