import { type Kysely, sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { migrations } from './migrations/index.ts';

/** PostgreSQL's code for a schema that does not exist. */
const INVALID_SCHEMA_NAME = '3F000';
const MIGRATION_ATTEMPTS = 5;

function isSchemaDroppedMeanwhile(error: unknown): boolean {
  for (let cause: unknown = error; cause; cause = (cause as { cause?: unknown }).cause) {
    if ((cause as { code?: unknown }).code === INVALID_SCHEMA_NAME) return true;
  }
  return false;
}

/** Applies every pending migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  // Kysely looks for its migration tables in every schema unless told which one; naming the
  // connection's own schema keeps databases that share a server (one schema each) apart.
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, migrationTableSchema: rows[0]?.schema ?? 'public' });
  for (let attempt = 1; ; attempt++) {
    let outcome: Awaited<ReturnType<Migrator['migrateToLatest']>>;
    try {
      outcome = await migrator.migrateToLatest();
    } catch (error) {
      outcome = { error, results: undefined };
    }
    const { error, results } = outcome;
    // Kysely reads the catalogue of every schema before it migrates: another database sharing the
    // server that drops its schema at that moment fails the read, not the migration. Read again.
    if (error && attempt < MIGRATION_ATTEMPTS && isSchemaDroppedMeanwhile(error)) continue;
    if (error) {
      const failed = results?.find((result) => result.status === 'Error');
      throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${(error as Error).message ?? error}`, { cause: error });
    }
    return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
  }
}
