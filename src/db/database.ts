import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import {
  type DatabaseConnection,
  type Driver,
  Kysely,
  PGliteDialect,
  PostgresDialect,
  type QueryCompiler,
  type TransactionSettings,
} from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';
import { migrateToLatest } from './migrate.ts';

export type DatabaseKind = 'pglite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** Where the data lives, for messages: a folder, "memory" or the server URL without password. */
  location: string;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** A PostgreSQL URL; when absent, embedded PGlite is used. */
  url?: string;
  /** PGlite data folder, or "memory". */
  dataDir?: string;
  /** PostgreSQL schema to use (created if missing); tests isolate themselves this way. */
  schema?: string;
  /** Run migrations before returning (default true). */
  migrate?: boolean;
  /** pg pool size (default 10). */
  poolSize?: number;
}

// Both drivers return the same JavaScript types: int8 as BigInt (money), numeric as string
// (exact decimals), date as "YYYY-MM-DD" (a business date is not an instant).
const INT8_OID = 20;
const NUMERIC_OID = 1700;
const DATE_OID = 1082;
const identity = (value: string) => value;

/**
 * Opens Lenity's database: PGlite in-process by default, PostgreSQL when a URL is given.
 *
 * @example const { db, close } = await openDatabase({ dataDir: 'memory' });
 */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<DatabaseHandle> {
  const handle = options.url ? await openPostgres(options.url, options) : await openPGlite(options.dataDir ?? 'memory');
  if (options.migrate ?? true) await migrateToLatest(handle.db);
  return handle;
}

/** The database the environment configures: DATABASE_URL, else PGlite in LENITY_DATA (default ./.lenity/data). */
export function databaseOptionsFromEnvironment(environment: NodeJS.ProcessEnv = process.env): OpenDatabaseOptions {
  const url = environment.DATABASE_URL?.trim();
  // LENITY_DATABASE_SCHEMA keeps several databases on one server apart (tests, worker processes).
  const schema = environment.LENITY_DATABASE_SCHEMA?.trim();
  if (url) return schema ? { url, schema } : { url };
  return { dataDir: environment.LENITY_DATA?.trim() || './.lenity/data' };
}

async function openPGlite(dataDir: string): Promise<DatabaseHandle> {
  const parsers = { [INT8_OID]: (value: string) => BigInt(value), [NUMERIC_OID]: identity, [DATE_OID]: identity };
  // PGlite creates its folder but not the folders above it (./.lenity on a fresh clone).
  if (dataDir !== 'memory') mkdirSync(dataDir, { recursive: true });
  const pglite = dataDir === 'memory' ? new PGlite({ parsers }) : new PGlite(dataDir, { parsers });
  await pglite.waitReady;
  const db = new Kysely<Database>({ dialect: new SerializedPGliteDialect({ pglite }) });
  return { db, kind: 'pglite', location: dataDir, close: () => db.destroy() };
}

async function openPostgres(url: string, options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const typeParsers = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') => {
      if (oid === INT8_OID) return (value: string) => BigInt(value);
      if (oid === NUMERIC_OID || oid === DATE_OID) return identity;
      return pg.types.getTypeParser(oid, format);
    },
  };
  if (options.schema) {
    const setup = new pg.Client({ connectionString: url });
    await setup.connect();
    try {
      await setup.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema.replace(/"/g, '')}"`);
    } finally {
      await setup.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    types: typeParsers,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'postgres', location: url.replace(/:[^:@/]+@/, ':***@'), close: () => db.destroy() };
}

/**
 * PGlite has one connection; Kysely's driver hands it to every caller at once. This dialect queues
 * callers so that a transaction has the connection to itself, as it would on a pooled server.
 */
class SerializedPGliteDialect extends PGliteDialect {
  override createDriver(): Driver {
    return new SerializedDriver(super.createDriver());
  }
}

class SerializedDriver implements Driver {
  readonly #inner: Driver;
  #tail: Promise<void> = Promise.resolve();
  readonly #releases = new WeakMap<DatabaseConnection, Array<() => void>>();

  constructor(inner: Driver) {
    this.#inner = inner;
  }

  init(): Promise<void> {
    return this.#inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    let release!: () => void;
    const previous = this.#tail;
    this.#tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    const connection = await this.#inner.acquireConnection();
    const queue = this.#releases.get(connection) ?? [];
    queue.push(release);
    this.#releases.set(connection, queue);
    return connection;
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    await this.#inner.releaseConnection(connection);
    this.#releases.get(connection)?.shift()?.();
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.#inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.rollbackTransaction(connection);
  }

  savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.#inner.savepoint!(connection, name, compile);
  }

  rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.#inner.rollbackToSavepoint!(connection, name, compile);
  }

  releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.#inner.releaseSavepoint!(connection, name, compile);
  }

  destroy(): Promise<void> {
    return this.#inner.destroy();
  }
}
