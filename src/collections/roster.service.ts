import { CHANNELS, type Channel, PACK_IDS, type PackId } from '../compliance/policy-pack.ts';
import type { Executor } from '../db/transaction.ts';
import { inTransaction } from '../db/transaction.ts';
import { type BusinessDate, daysBetween } from '../shared/business-date.ts';
import type { Clock } from '../shared/clock.ts';
import { LenityError, validationError } from '../shared/errors.ts';
import type { IdGenerator } from '../shared/ids.ts';
import { fieldPath, readArray, readBoolean, readInteger, readObject, readOptionalString, readString } from '../shared/input.ts';
import { assignCases, type UnassignedCase } from './case-assignment.ts';
import { certificationsFor, recordTraining } from './certification.service.ts';
import { selectTrainings } from './certification.store.ts';
import type { MessageLanguage } from './channels/message-channel.ts';

/**
 * The collector roster (`collector_profile`, keyed by the agent's id: the id of their API key) and
 * the automatic assignment of unassigned open cases at the end of the daily run.
 */
const LANGUAGES: readonly MessageLanguage[] = ['zh-CN', 'en'];
const MAXIMUM_CAPACITY = 5_000;
const MAXIMUM_PROFILES = 5_000;
const MAXIMUM_TEXT_LENGTH = 200;
const CLOSED_STATUSES = ['closed-cured', 'closed-paid', 'closed-charged-off', 'closed-settled'];

interface ProfileRow { agent_id: string; display_name: string; languages: string[] | string; jurisdictions: string[] | string; region: string | null; capacity: number; active: boolean; updated_at: Date }

const list = (value: string[] | string) => (typeof value === 'string' ? (JSON.parse(value) as string[]) : value);

function formatProfile(row: ProfileRow, openCases: number) {
  return {
    agentId: row.agent_id, displayName: row.display_name, languages: list(row.languages), jurisdictions: list(row.jurisdictions), region: row.region,
    capacity: row.capacity, active: row.active, openCases, updatedAt: row.updated_at.toISOString(),
  };
}

async function openCaseCounts(db: Executor, agentIds: readonly string[]): Promise<Map<string, number>> {
  if (agentIds.length === 0) return new Map();
  const rows = await db.selectFrom('collection_case').select(['agent_id', (builder) => builder.fn.countAll<string>().as('count')])
    .where('agent_id', 'in', [...agentIds]).where('closed_on', 'is', null).groupBy('agent_id').execute();
  return new Map(rows.map((row) => [row.agent_id!, Number(row.count)]));
}

/**
 * Every collector profile with the open cases each holds.
 *
 * @example (await listCollectorProfiles(db))[0] // { agentId: 'key_1', displayName: '张敏', languages: ['zh-CN'], capacity: 40, openCases: 12, … }
 */
export async function listCollectorProfiles(db: Executor) {
  const rows = await db.selectFrom('collector_profile').selectAll().orderBy('agent_id').limit(MAXIMUM_PROFILES).execute();
  const counts = await openCaseCounts(db, rows.map((row) => row.agent_id));
  return rows.map((row) => formatProfile(row, counts.get(row.agent_id) ?? 0));
}

/** One collector profile. @example await getCollectorProfile(db, 'key_1') */
export async function getCollectorProfile(db: Executor, agentId: string) {
  const row = await db.selectFrom('collector_profile').selectAll().where('agent_id', '=', agentId).executeTakeFirst();
  if (!row) throw new LenityError('NOT_FOUND', `Collector ${agentId} has no profile`);
  return formatProfile(row, (await openCaseCounts(db, [agentId])).get(agentId) ?? 0);
}

/**
 * Creates or replaces a collector's profile.
 *
 * @example await putCollectorProfile(db, clock, 'key_1', { displayName: '张敏', languages: ['zh-CN'], jurisdictions: ['CN'], region: '上海', capacity: 40 })
 */
export async function putCollectorProfile(db: Executor, clock: Clock, agentId: string, json: unknown) {
  if (agentId.length === 0 || agentId.length > MAXIMUM_TEXT_LENGTH) throw validationError('agentId', `must hold 1 to ${MAXIMUM_TEXT_LENGTH} characters`);
  const body = readObject(json, '(root)', ['displayName', 'languages', 'jurisdictions', 'region', 'capacity', 'active']);
  const displayName = readString(body, 'displayName', '(root)');
  if (displayName.length > MAXIMUM_TEXT_LENGTH) throw validationError('displayName', `must hold at most ${MAXIMUM_TEXT_LENGTH} characters`);
  const oneOf = <T extends string>(key: string, allowed: readonly T[]) => {
    const items = readArray(body, key, '(root)');
    if (items.length === 0) throw validationError(key, 'must list at least one');
    return [...new Set(items.map((item, index) => {
      if (typeof item !== 'string' || !(allowed as readonly string[]).includes(item)) throw validationError(fieldPath(key, index), `must be one of ${allowed.join(', ')}`);
      return item as T;
    }))];
  };
  const languages = oneOf('languages', LANGUAGES);
  const jurisdictions = oneOf('jurisdictions', PACK_IDS);
  const region = readOptionalString(body, 'region', '(root)');
  if (region !== null && region.length > MAXIMUM_TEXT_LENGTH) throw validationError('region', `must hold at most ${MAXIMUM_TEXT_LENGTH} characters`);
  const capacity = readInteger(body, 'capacity', '(root)', { min: 0, max: MAXIMUM_CAPACITY });
  const active = readBoolean(body, 'active', '(root)', true);
  const values = { display_name: displayName, languages: JSON.stringify(languages), jurisdictions: JSON.stringify(jurisdictions), region, capacity, active, updated_at: clock.now() };
  await db.insertInto('collector_profile').values({ agent_id: agentId, ...values }).onConflict((conflict) => conflict.column('agent_id').doUpdateSet(values)).execute();
  return getCollectorProfile(db, agentId);
}

/**
 * A collector's training records (what certifies them), newest first.
 *
 * @example (await listTraining(db, 'key_1'))[0] // { id: 'cert_1', module: 'CN fair collection 2026', jurisdiction: 'CN', channels: ['call'], … }
 */
export async function listTraining(db: Executor, agentId: string) {
  return (await selectTrainings(db, [agentId], 1_000)).map((row) => ({
    id: row.id, agentId: row.agentId, module: row.module, jurisdiction: row.jurisdiction, channels: row.channels, passedOn: row.passedOn, expiresOn: row.expiresOn,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  }));
}

/**
 * Records a passed training module for a collector (the HTTP form of `recordTraining`).
 *
 * @example await addTraining(db, ids, 'key_1', { module: 'CN fair collection 2026', jurisdiction: 'CN', channels: ['call', 'sms'], passedOn: '2026-01-15' })
 */
export async function addTraining(db: Executor, ids: IdGenerator, agentId: string, json: unknown) {
  const body = readObject(json, '(root)', ['module', 'jurisdiction', 'channels', 'passedOn', 'expiresOn']);
  const jurisdiction = readString(body, 'jurisdiction', '(root)');
  if (!(PACK_IDS as readonly string[]).includes(jurisdiction)) throw validationError('jurisdiction', `must be one of ${PACK_IDS.join(', ')}`);
  const channels = readArray(body, 'channels', '(root)').map((item, index) => {
    if (typeof item !== 'string' || !(CHANNELS as readonly string[]).includes(item)) throw validationError(fieldPath('channels', index), `must be one of ${CHANNELS.join(', ')}`);
    return item as Channel;
  });
  const id = await recordTraining(db, ids, {
    agentId, module: readString(body, 'module', '(root)'), jurisdiction: jurisdiction as PackId, channels, passedOn: readString(body, 'passedOn', '(root)'),
    expiresOn: readOptionalString(body, 'expiresOn', '(root)'),
  });
  return { status: 201, body: (await listTraining(db, agentId)).find((record) => record.id === id) };
}

function policyOf(jurisdiction: string): PackId {
  return (PACK_IDS as readonly string[]).includes(jurisdiction) ? (jurisdiction as PackId) : 'CN';
}

function regionOf(addresses: unknown): string | null {
  const parsed = (typeof addresses === 'string' ? JSON.parse(addresses) : addresses) as Array<{ region?: string | null; city?: string | null }> | null;
  const first = Array.isArray(parsed) ? parsed[0] : undefined;
  return first?.region ?? first?.city ?? null;
}

/**
 * Gives every unassigned open case to a collector (`assignCases`) and moves its open call tasks with
 * it; writes one update per collector. Returns how many cases were assigned.
 *
 * @example await assignOpenCases(db, clock, '2026-03-10') // 42
 */
export async function assignOpenCases(db: Executor, clock: Clock, businessDate: BusinessDate): Promise<number> {
  const roster = await db.selectFrom('collector_profile').selectAll().where('active', '=', true).limit(MAXIMUM_PROFILES).execute();
  if (roster.length === 0) return 0;
  const rows = await db.selectFrom('collection_case').innerJoin('borrower', 'borrower.id', 'collection_case.borrower_id').innerJoin('loan', 'loan.id', 'collection_case.loan_id')
    .select(['collection_case.id', 'borrower.language', 'borrower.jurisdiction', 'borrower.addresses', 'loan.oldest_unpaid_due_date'])
    .where('collection_case.agent_id', 'is', null).where('collection_case.status', 'not in', CLOSED_STATUSES).orderBy('collection_case.id').limit(20_000).execute();
  if (rows.length === 0) return 0;
  const visits = new Set((await db.selectFrom('field_visit').select('case_id').where('case_id', 'in', rows.map((row) => row.id))
    .where('status', 'in', ['requested', 'approved', 'scheduled', 'checked-in']).execute()).map((row) => row.case_id));
  const agentIds = roster.map((row) => row.agent_id);
  const [counts, certifications] = await Promise.all([openCaseCounts(db, agentIds), certificationsFor(db, agentIds)]);
  const cases: UnassignedCase[] = rows.map((row) => ({
    caseId: row.id, language: (row.language === 'en' ? 'en' : 'zh-CN') as MessageLanguage, jurisdiction: policyOf(row.jurisdiction), region: regionOf(row.addresses),
    fieldVisit: visits.has(row.id), dpd: row.oldest_unpaid_due_date === null || row.oldest_unpaid_due_date >= businessDate ? 0 : daysBetween(row.oldest_unpaid_due_date as BusinessDate, businessDate),
  }));
  const result = assignCases(cases, roster.map((row) => ({
    agentId: row.agent_id, languages: list(row.languages) as MessageLanguage[], jurisdictions: list(row.jurisdictions) as PackId[], region: row.region,
    capacity: row.capacity, active: row.active, openCases: counts.get(row.agent_id) ?? 0,
  })), certifications, clock.now().getTime());
  const byAgent = new Map<string, string[]>();
  for (const assignment of result.assignments) byAgent.set(assignment.agentId, [...(byAgent.get(assignment.agentId) ?? []), assignment.caseId]);
  let assigned = 0;
  await inTransaction(db, async (transaction) => {
    for (const [agentId, caseIds] of byAgent) {
      // `agent_id is null` again: a supervisor who assigned a case meanwhile wins.
      const updated = await transaction.updateTable('collection_case').set({ agent_id: agentId, updated_at: clock.now() }).where('id', 'in', caseIds).where('agent_id', 'is', null).executeTakeFirst();
      assigned += Number(updated.numUpdatedRows);
      await transaction.updateTable('call_task').set({ agent_id: agentId }).where('case_id', 'in', caseIds).where('status', '=', 'open').where('agent_id', 'is', null).execute();
    }
  });
  return assigned;
}
