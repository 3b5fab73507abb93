import { checkTemplate, type TemplateFinding } from '../compliance/template-check.ts';
import { PACK_IDS, type PackId, RECIPIENTS, type Recipient } from '../compliance/policy-pack.ts';
import type { Executor } from '../db/transaction.ts';
import type { Clock } from '../shared/clock.ts';
import { LenityError, validationError } from '../shared/errors.ts';
import { readEnum, readObject, readOptionalString, readString } from '../shared/input.ts';
import { CHANNEL_KINDS, type ChannelKind, type MessageLanguage } from './channels/message-channel.ts';
import { DEFAULT_TEMPLATES, type MessageTemplate } from './templates.ts';

/**
 * Templates stored as versions (`collection_template`): proposed as drafts, approved only when the
 * gate's template check passes under every policy pack, and only approved versions are rendered into
 * messages. The shipped templates are stored as approved version 1 on first use.
 */
const PURPOSE = /^[a-z0-9][a-z0-9-]{0,62}$/;
const MAXIMUM_BODY_LENGTH = 5_000;
const MAXIMUM_SUBJECT_LENGTH = 300;
const LANGUAGES: readonly MessageLanguage[] = ['zh-CN', 'en'];
/** Who stored the shipped templates. */
const SHIPPED_BY = 'lenity';

export interface TemplateCheckByPack {
  policy: PackId;
  ok: boolean;
  findings: TemplateFinding[];
}

/** A stored template version in the shape the renderer takes, with its version. */
export interface StoredTemplate extends MessageTemplate {
  version: number;
}

/**
 * The template check under every pack: a template may be used for any borrower, so it must pass all.
 *
 * @example checkUnderEveryPack({ channel: 'sms', to: 'borrower', subject: null, body: 'Pay now' }).find((result) => result.policy === 'US')?.ok // false: no opt-out line
 */
export function checkUnderEveryPack(template: { channel: ChannelKind; to: Recipient; subject: string | null; body: string }): TemplateCheckByPack[] {
  const text = [template.subject ?? '', template.body].join('\n');
  return PACK_IDS.map((policy) => ({ policy, ...checkTemplate({ policy, channel: template.channel, to: template.to, text }) }));
}

/** Stores the shipped templates as approved version 1 where they are missing. @example await ensureShippedTemplates(db, clock) */
export async function ensureShippedTemplates(db: Executor, clock: Clock): Promise<void> {
  const stored = new Set((await db.selectFrom('collection_template').select('id').distinct().execute()).map((row) => row.id));
  const missing = DEFAULT_TEMPLATES.filter((template) => !stored.has(template.id));
  if (missing.length === 0) return;
  const now = clock.now();
  await db.insertInto('collection_template').values(missing.map((template) => ({
    id: template.id, version: 1, purpose: template.purpose, language: template.language, channel: template.channel, recipient: template.to,
    subject: template.subject, body: template.body, status: 'approved', checked_at: now, check_result: JSON.stringify(checkUnderEveryPack(template)),
    created_by: SHIPPED_BY, created_at: now,
  }))).onConflict((conflict) => conflict.doNothing()).execute();
}

type TemplateRow = { id: string; version: number; purpose: string; language: string; channel: string; recipient: string; subject: string | null; body: string; status: string; checked_at: Date | null; check_result: unknown; created_by: string; created_at: Date };

function formatVersion(row: TemplateRow) {
  return {
    id: row.id, version: row.version, purpose: row.purpose, language: row.language, channel: row.channel, recipient: row.recipient, subject: row.subject, body: row.body,
    status: row.status, checkedAt: row.checked_at?.toISOString() ?? null, checkResult: typeof row.check_result === 'string' ? JSON.parse(row.check_result) : row.check_result,
    createdBy: row.created_by, createdAt: row.created_at.toISOString(),
  };
}

/**
 * Every template with its versions, the approved one the messages use.
 *
 * @example (await listTemplates(db, clock)).find((template) => template.id === 'dpd-1.zh-CN')?.approvedVersion // 1
 */
export async function listTemplates(db: Executor, clock: Clock) {
  await ensureShippedTemplates(db, clock);
  const rows = await db.selectFrom('collection_template').selectAll().orderBy('id').orderBy('version').limit(5_000).execute();
  const byId = new Map<string, TemplateRow[]>();
  for (const row of rows) byId.set(row.id, [...(byId.get(row.id) ?? []), row]);
  return [...byId.values()].map((versions) => ({
    id: versions[0]!.id, purpose: versions[0]!.purpose, language: versions[0]!.language, channel: versions[0]!.channel,
    approvedVersion: versions.filter((row) => row.status === 'approved').at(-1)?.version ?? null, versions: versions.map(formatVersion),
  }));
}

/**
 * Proposes a new draft version of a template (`<purpose>.<language>`); it is checked and the result
 * stored, but it is not used until approved.
 *
 * @example await proposeTemplate(db, clock, 'key_1', { purpose: 'dpd-1', language: 'en', body: '{{lender}}: {{name}}, {{amount}} is overdue. Reply STOP to opt out.' })
 */
export async function proposeTemplate(db: Executor, clock: Clock, actor: string, json: unknown) {
  await ensureShippedTemplates(db, clock);
  const body = readObject(json, '(root)', ['purpose', 'language', 'channel', 'recipient', 'subject', 'body']);
  const purpose = readString(body, 'purpose', '(root)');
  if (!PURPOSE.test(purpose)) throw validationError('purpose', 'must be lower-case letters, digits and dashes, e.g. "dpd-1"');
  const language = readEnum(body, 'language', '(root)', LANGUAGES);
  const id = `${purpose}.${language}`;
  const latest = await db.selectFrom('collection_template').selectAll().where('id', '=', id).orderBy('version', 'desc').limit(1).executeTakeFirst();
  const channel = readEnum(body, 'channel', '(root)', CHANNEL_KINDS, latest?.channel as ChannelKind | undefined);
  if (latest && channel !== latest.channel) throw validationError('channel', `must be "${latest.channel}", the channel of ${id}`);
  const recipient = readEnum(body, 'recipient', '(root)', RECIPIENTS, (latest?.recipient as Recipient | undefined) ?? 'borrower');
  const subject = readOptionalString(body, 'subject', '(root)');
  if (subject !== null && subject.length > MAXIMUM_SUBJECT_LENGTH) throw validationError('subject', `must hold at most ${MAXIMUM_SUBJECT_LENGTH} characters`);
  const text = readString(body, 'body', '(root)');
  if (text.length > MAXIMUM_BODY_LENGTH) throw validationError('body', `must hold at most ${MAXIMUM_BODY_LENGTH} characters`);
  const version = (latest?.version ?? 0) + 1;
  const now = clock.now();
  await db.insertInto('collection_template').values({
    id, version, purpose, language, channel, recipient, subject, body: text, status: 'draft', checked_at: now,
    check_result: JSON.stringify(checkUnderEveryPack({ channel, to: recipient, subject, body: text })), created_by: actor, created_at: now,
  }).execute();
  return { status: 201, body: formatVersion((await db.selectFrom('collection_template').selectAll().where('id', '=', id).where('version', '=', version).executeTakeFirstOrThrow())) };
}

/**
 * Approves a template version when the gate's template check passes under every pack; otherwise it is
 * refused (TEMPLATE_CHECK_FAILED) with the findings per pack.
 *
 * @example await approveTemplateVersion(db, clock, 'dpd-1.en', 2)
 */
export async function approveTemplateVersion(db: Executor, clock: Clock, id: string, version: number) {
  await ensureShippedTemplates(db, clock);
  const row = await db.selectFrom('collection_template').selectAll().where('id', '=', id).where('version', '=', version).executeTakeFirst();
  if (!row) throw new LenityError('NOT_FOUND', `Template ${id} version ${version} does not exist`);
  const results = checkUnderEveryPack({ channel: row.channel as ChannelKind, to: row.recipient as Recipient, subject: row.subject, body: row.body });
  const failed = results.filter((result) => !result.ok);
  if (failed.length > 0) {
    const reasons = failed.flatMap((result) => result.findings.map((finding) => ({ policy: result.policy, code: finding.code, rule: finding.rule, message: finding.message, match: finding.match })));
    throw new LenityError('TEMPLATE_CHECK_FAILED', `Template ${id} version ${version} fails the template check: ${reasons.map((reason) => `${reason.policy} ${reason.code} (${reason.rule})`).join(', ')}`, { reasons });
  }
  await db.updateTable('collection_template').set({ status: 'approved', checked_at: clock.now(), check_result: JSON.stringify(results) }).where('id', '=', id).where('version', '=', version).execute();
  return { status: 200, body: formatVersion({ ...row, status: 'approved', checked_at: clock.now(), check_result: results }) };
}

/**
 * The latest approved version of every template, by `<purpose>.<language>`: what runs render from.
 *
 * @example (await loadApprovedTemplates(db, clock)).get('dpd-1.zh-CN')?.version // 1
 */
export async function loadApprovedTemplates(db: Executor, clock: Clock): Promise<Map<string, StoredTemplate>> {
  await ensureShippedTemplates(db, clock);
  const rows = await db.selectFrom('collection_template').selectAll().where('status', '=', 'approved').orderBy('id').orderBy('version').limit(5_000).execute();
  const approved = new Map<string, StoredTemplate>();
  for (const row of rows) {
    approved.set(row.id, {
      id: row.id, version: row.version, purpose: row.purpose as MessageTemplate['purpose'], language: row.language as MessageLanguage, channel: row.channel as ChannelKind,
      to: row.recipient as Recipient, subject: row.subject, body: row.body,
    });
  }
  return approved;
}

/**
 * Refuses a message whose template version is not approved (asserted where a message is enqueued).
 *
 * @example await assertTemplateApproved(db, { id: 'dpd-1.en', version: 2 }) // throws INVALID_STATE while version 2 is a draft
 */
export async function assertTemplateApproved(db: Executor, template: { id: string; version: number }): Promise<void> {
  const row = await db.selectFrom('collection_template').select('status').where('id', '=', template.id).where('version', '=', template.version).executeTakeFirst();
  if (row?.status !== 'approved') throw new LenityError('INVALID_STATE', `Template ${template.id} version ${template.version} is not approved; a message cannot use it`, { field: 'template' });
}
