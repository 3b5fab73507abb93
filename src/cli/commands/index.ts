import type { RegisterCommand } from '../command.ts';
import { registerBenchCommand } from './bench.ts';
import { registerCalendarCommand } from './calendar.ts';
import { registerCollectionsCommand } from './collections.ts';
import { registerComplianceCommand } from './compliance.ts';
import { registerEodCommand } from './eod.ts';
import { registerMigrateCommand } from './migrate.ts';
import { registerReportCommand } from './report.ts';
import { registerScheduleCommand } from './schedule.ts';
import { registerScenarioCommand } from './scenario.ts';
import { registerSeedCommand } from './seed.ts';
import { registerSimulateCommand } from './simulate.ts';
import { registerStartCommand } from './start.ts';
import { registerVerifyCommand } from './verify.ts';
import { registerUsersCommand } from './users.ts';

/** Every `lenity` subcommand, in help order. */
export const COMMANDS: RegisterCommand[] = [
  registerStartCommand,
  registerMigrateCommand,
  registerSeedCommand,
  registerEodCommand,
  registerCollectionsCommand,
  registerCalendarCommand,
  registerSimulateCommand,
  registerScheduleCommand,
  registerScenarioCommand,
  registerComplianceCommand,
  registerVerifyCommand,
  registerUsersCommand,
  registerReportCommand,
  registerBenchCommand,
];
