import { databaseOptionsFromEnvironment, openDatabase, type DatabaseHandle } from '../db/database.ts';

/** Opens the configured database (DATABASE_URL or embedded PGlite in LENITY_DATA), runs `work`, closes it. */
export async function withDatabase<T>(environment: NodeJS.ProcessEnv, work: (handle: DatabaseHandle) => Promise<T>): Promise<T> {
  const handle = await openDatabase(databaseOptionsFromEnvironment(environment));
  try {
    return await work(handle);
  } finally {
    await handle.close();
  }
}

/** The lender's time zone: business dates and the daily run follow it. */
export function lenderTimeZone(environment: NodeJS.ProcessEnv): string {
  return environment.LENITY_TIME_ZONE?.trim() || 'Asia/Shanghai';
}
