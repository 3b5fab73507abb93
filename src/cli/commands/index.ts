import type { RegisterCommand } from '../command.ts';
import { registerComplianceCommand } from './compliance.ts';

/** Every `lenity` subcommand, in help order. */
export const COMMANDS: RegisterCommand[] = [registerComplianceCommand];
