import type { Executor } from '../db/transaction.ts';

/** The SQL of collector training records (`collector_training`). */
export interface TrainingRow {
  id: string;
  agentId: string;
  module: string;
  jurisdiction: string;
  channels: string[];
  passedOn: string;
  expiresOn: string | null;
  revokedAt: Date | null;
}

export async function insertTraining(db: Executor, row: Omit<TrainingRow, 'revokedAt'>): Promise<void> {
  await db
    .insertInto('collector_training')
    .values({ id: row.id, agent_id: row.agentId, module: row.module, jurisdiction: row.jurisdiction, channels: JSON.stringify(row.channels), passed_on: row.passedOn, expires_on: row.expiresOn, revoked_at: null })
    .execute();
}

export async function revokeTrainingRow(db: Executor, id: string, at: Date): Promise<number> {
  const result = await db.updateTable('collector_training').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function selectTrainings(db: Executor, agentIds: readonly string[], limit: number): Promise<TrainingRow[]> {
  if (agentIds.length === 0) return [];
  const rows = await db.selectFrom('collector_training').selectAll().where('agent_id', 'in', [...agentIds]).orderBy('passed_on', 'desc').limit(limit).execute();
  return rows.map((row) => ({
    id: row.id,
    agentId: row.agent_id,
    module: row.module,
    jurisdiction: row.jurisdiction,
    channels: (typeof row.channels === 'string' ? JSON.parse(row.channels) : row.channels) as string[],
    passedOn: row.passed_on,
    expiresOn: row.expires_on,
    revokedAt: row.revoked_at,
  }));
}
