import type { Executor } from '../db/transaction.ts';
import type { BusinessDate } from '../shared/business-date.ts';
import { certificationStatus } from './certification-status.ts';

const MAXIMUM_TRAINING_ROWS = 5_000;

/**
 * Every collector's training records with where each stands today (valid, expiring within 30
 * days, expired, revoked), collectors by name.
 *
 * @example await listCertifications(db, '2026-03-10') // { items: [{ agentId, agentName, module, jurisdiction, channels, expiresOn, status: 'expiring' }] }
 */
export async function listCertifications(db: Executor, today: BusinessDate) {
  const rows = await db
    .selectFrom('collector_training')
    .leftJoin('app_user', 'app_user.id', 'collector_training.agent_id')
    .select(['collector_training.id', 'collector_training.agent_id', 'app_user.display_name', 'collector_training.module', 'collector_training.jurisdiction', 'collector_training.channels',
      'collector_training.passed_on', 'collector_training.expires_on', 'collector_training.revoked_at'])
    .orderBy('collector_training.agent_id').orderBy('collector_training.jurisdiction').orderBy('collector_training.passed_on', 'desc')
    .limit(MAXIMUM_TRAINING_ROWS)
    .execute();
  return {
    today,
    items: rows.map((row) => ({
      id: row.id, agentId: row.agent_id, agentName: row.display_name ?? null, module: row.module, jurisdiction: row.jurisdiction,
      channels: (typeof row.channels === 'string' ? JSON.parse(row.channels) : row.channels) as string[], passedOn: row.passed_on, expiresOn: row.expires_on,
      status: certificationStatus({ expiresOn: row.expires_on, revoked: row.revoked_at !== null }, today),
    })),
  };
}
