import { openDatabase, type DatabaseHandle } from '../../src/db/database.ts';
import pg from 'pg';

/**
 * A fresh, migrated database for one test file: PGlite in memory by default, or an isolated schema
 * on the PostgreSQL server named by DATABASE_URL (the same suite runs on both).
 */
export async function openTestDatabase(): Promise<DatabaseHandle> {
  const url = process.env.DATABASE_URL?.trim();
  if (!url) return openDatabase({ dataDir: 'memory' });
  // Creating a schema and migrating it while other test files do the same on the server has, rarely,
  // failed with "schema does not exist"; a fresh schema is tried before giving up.
  let schema = '';
  let handle: DatabaseHandle | null = null;
  for (let attempt = 1; handle === null; attempt++) {
    schema = `test_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    try {
      handle = await openDatabase({ url, schema, poolSize: 20 });
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
  return {
    ...handle,
    close: async () => {
      await handle.close();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

export const DATABASE_KIND = process.env.DATABASE_URL?.trim() ? 'postgres' : 'pglite';

/**
 * True in the suite's PostgreSQL pass. Tests of the command line on its embedded database (which they
 * choose themselves, whatever DATABASE_URL says) run in the embedded pass only: in the PostgreSQL pass
 * they would repeat the same work on the same database.
 */
export const IN_POSTGRES_PASS = Boolean(process.env.DATABASE_URL?.trim());
