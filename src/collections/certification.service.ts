import type { CollectorCertification } from '../compliance/collector-check.ts';
import { CHANNELS, type Channel, PACK_IDS, type PackId } from '../compliance/policy-pack.ts';
import type { Executor } from '../db/transaction.ts';
import { parseBusinessDate } from '../shared/business-date.ts';
import type { Clock } from '../shared/clock.ts';
import { validationError } from '../shared/errors.ts';
import type { IdGenerator } from '../shared/ids.ts';
import { insertTraining, revokeTrainingRow, selectTrainings } from './certification.store.ts';

/**
 * Collector certification from training records: an agent who passed a module for a jurisdiction
 * and channels is certified for them from the day passed until the record expires (and, in CN, at
 * most 365 days: the gate's collector check applies the pack's maximum age).
 */
export interface RecordTrainingInput {
  agentId: string;
  module: string;
  jurisdiction: PackId;
  channels: Channel[];
  passedOn: string;
  expiresOn?: string | null;
}

const MAXIMUM_AGENTS_PER_QUERY = 1_000;
const MAXIMUM_RECORDS = 20_000;

/**
 * Records a passed training module; returns its id.
 *
 * @example await recordTraining(db, ids, { agentId: 'usr_7', module: 'CN fair collection 2026', jurisdiction: 'CN', channels: ['call', 'sms'], passedOn: '2026-01-15', expiresOn: '2027-01-15' })
 */
export async function recordTraining(db: Executor, ids: IdGenerator, input: RecordTrainingInput): Promise<string> {
  if (!input.agentId || input.agentId.length > 200) throw validationError('agentId', 'must hold 1 to 200 characters');
  if (!input.module || input.module.length > 200) throw validationError('module', 'must hold 1 to 200 characters');
  if (!PACK_IDS.includes(input.jurisdiction)) throw validationError('jurisdiction', `must be one of ${PACK_IDS.join(', ')}`);
  if (input.channels.length === 0 || input.channels.some((channel) => !CHANNELS.includes(channel))) throw validationError('channels', `must list channels among ${CHANNELS.join(', ')}`);
  const passedOn = parseBusinessDate(input.passedOn, 'passedOn');
  const expiresOn = input.expiresOn ? parseBusinessDate(input.expiresOn, 'expiresOn') : null;
  if (expiresOn !== null && expiresOn <= passedOn) throw validationError('expiresOn', 'must be after passedOn');
  const id = ids('cert');
  await insertTraining(db, { id, agentId: input.agentId, module: input.module, jurisdiction: input.jurisdiction, channels: [...new Set(input.channels)], passedOn, expiresOn });
  return id;
}

/** Revokes a training record (e.g. after a complaint is upheld). @example await revokeTraining(db, clock, 'cert_1') */
export async function revokeTraining(db: Executor, clock: Clock, id: string): Promise<void> {
  if ((await revokeTrainingRow(db, id, clock.now())) !== 1) throw validationError('id', `no unrevoked training record "${id}"`, 'NOT_FOUND');
}

/**
 * The agents' certifications in the gate's shape, for `checkCollectorMayContact` and `assignTasks`.
 * Dates are read as UTC midnights: a record passed on a day counts from that day's start.
 *
 * @example const certifications = await certificationsFor(db, ['usr_7', 'usr_8'])
 */
export async function certificationsFor(db: Executor, agentIds: readonly string[]): Promise<CollectorCertification[]> {
  if (agentIds.length > MAXIMUM_AGENTS_PER_QUERY) throw validationError('agentIds', `must hold at most ${MAXIMUM_AGENTS_PER_QUERY} agents`);
  const rows = await selectTrainings(db, agentIds, MAXIMUM_RECORDS);
  return rows.map((row) => ({
    collectorId: row.agentId,
    jurisdiction: row.jurisdiction as PackId,
    channels: row.channels as Channel[],
    issuedAtMs: Date.parse(`${row.passedOn}T00:00:00Z`),
    expiresAtMs: row.expiresOn === null ? null : Date.parse(`${row.expiresOn}T00:00:00Z`),
    revoked: row.revokedAt !== null,
  }));
}
