import type { RegisterCommand } from '../command.ts';
import { BENCHMARKS } from '../../../bench/index.ts';
import { validationError } from '../../shared/errors.ts';

/** `lenity bench <name> [--json] [options]`: one benchmark, its figures beside a same-run reference. */
export const registerBenchCommand: RegisterCommand = (program, context) => {
  program
    .command('bench')
    .description(`Run a benchmark: ${Object.keys(BENCHMARKS).join(', ') || '(none)'}`)
    .argument('<name>', 'benchmark name')
    .option('--json', 'print one JSON line of figures')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action(async (name: string, options: { json?: boolean }, command: { args: string[] }) => {
      const benchmark = BENCHMARKS[name];
      if (!benchmark) throw validationError('name', `unknown benchmark "${name}"; choose one of ${Object.keys(BENCHMARKS).join(', ')}`);
      const args = command.args.slice(1);
      const figures = await benchmark.run({
        args,
        environment: context.environment,
        progress: (message) => {
          if (!options.json) context.io.stderr(`${message}\n`);
        },
      });
      if (options.json) context.io.stdout(`${JSON.stringify(figures)}\n`);
      else for (const [key, value] of Object.entries(figures)) context.io.stdout(`${key.padEnd(28)} ${String(value)}\n`);
    });
};
