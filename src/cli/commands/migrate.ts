import type { RegisterCommand } from '../command.ts';
import { databaseOptionsFromEnvironment, openDatabase } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrate.ts';

/** `lenity migrate`: applies pending schema migrations to the configured database. */
export const registerMigrateCommand: RegisterCommand = (program, context) => {
  program
    .command('migrate')
    .description('Apply pending database migrations')
    .action(async () => {
      const handle = await openDatabase({ ...databaseOptionsFromEnvironment(context.environment), migrate: false });
      try {
        const applied = await migrateToLatest(handle.db);
        context.io.stdout(applied.length ? `Applied: ${applied.join(', ')}\n` : 'The database is up to date.\n');
      } finally {
        await handle.close();
      }
    });
};
