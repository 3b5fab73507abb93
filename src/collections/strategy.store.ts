import type { Executor } from '../db/transaction.ts';

/** The SQL of stored strategy versions (`collection_strategy`). */
export interface StrategyRow {
  id: string;
  version: number;
  jurisdiction: string;
  name: string;
  definition: unknown;
  status: 'draft' | 'active' | 'retired';
  createdBy: string;
  createdAt: Date;
}

const MAXIMUM_ROWS = 5_000;

function toRow(row: { id: string; version: number; jurisdiction: string; name: string; definition: unknown; status: string; created_by: string; created_at: Date }): StrategyRow {
  return {
    id: row.id, version: row.version, jurisdiction: row.jurisdiction, name: row.name,
    definition: typeof row.definition === 'string' ? JSON.parse(row.definition) : row.definition,
    status: row.status as StrategyRow['status'], createdBy: row.created_by, createdAt: row.created_at,
  };
}

export async function insertStrategyVersion(db: Executor, row: StrategyRow): Promise<boolean> {
  const inserted = await db.insertInto('collection_strategy').values({
    id: row.id, version: row.version, jurisdiction: row.jurisdiction, name: row.name, definition: JSON.stringify(row.definition), status: row.status,
    created_by: row.createdBy, created_at: row.createdAt,
  }).onConflict((conflict) => conflict.doNothing()).returning('id').execute();
  return inserted.length > 0;
}

export async function selectStrategyVersions(db: Executor, filter: { id?: string; jurisdiction?: string; status?: string } = {}): Promise<StrategyRow[]> {
  let query = db.selectFrom('collection_strategy').selectAll();
  if (filter.id !== undefined) query = query.where('id', '=', filter.id);
  if (filter.jurisdiction !== undefined) query = query.where('jurisdiction', '=', filter.jurisdiction);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  return (await query.orderBy('id').orderBy('version').limit(MAXIMUM_ROWS).execute()).map(toRow);
}

export async function selectStrategyVersion(db: Executor, id: string, version: number): Promise<StrategyRow | null> {
  const row = await db.selectFrom('collection_strategy').selectAll().where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return row ? toRow(row) : null;
}

export async function selectStrategyJurisdictions(db: Executor): Promise<Set<string>> {
  return new Set((await db.selectFrom('collection_strategy').select('jurisdiction').distinct().execute()).map((row) => row.jurisdiction));
}

export async function setStrategyStatus(db: Executor, where: { id: string; version: number } | { jurisdiction: string; status: string }, status: StrategyRow['status']): Promise<void> {
  let query = db.updateTable('collection_strategy').set({ status });
  query = 'id' in where ? query.where('id', '=', where.id).where('version', '=', where.version) : query.where('jurisdiction', '=', where.jurisdiction).where('status', '=', where.status);
  await query.execute();
}
