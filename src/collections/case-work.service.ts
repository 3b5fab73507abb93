import { sql } from 'kysely';
import { parseContactRequest } from '../compliance/contact-request.ts';
import type { Channel, PackId } from '../compliance/policy-pack.ts';
import { PACK_IDS } from '../compliance/policy-pack.ts';
import type { ContactDecision } from '../compliance/evaluate-contact.ts';
import { evaluateAndRecord } from '../compliance/receipt.service.ts';
import { type Executor, inTransaction } from '../db/transaction.ts';
import { pauseAgeing } from '../delinquency/pause.service.ts';
import { maskText } from '../lending/borrower.ts';
import { postPayment } from '../lending/loan.service.ts';
import { parseBusinessDate, type BusinessDate } from '../shared/business-date.ts';
import type { Clock } from '../shared/clock.ts';
import type { CurrencyCode } from '../shared/currency.ts';
import { LenityError, validationError } from '../shared/errors.ts';
import type { IdGenerator } from '../shared/ids.ts';
import { fieldPath, readArray, readEnum, readInteger, readObject, readOptionalString, readString } from '../shared/input.ts';
import { formatMoney, parseMoney } from '../shared/money.ts';
import { AGENT_OUTCOMES, type AgentOutcome, contactRequestFor, OUTCOME_FLAGS, RIGHT_PARTY_OUTCOMES } from './case-contact.ts';
import { daysPastDueOn, firstOf, storedInstalments } from './case.service.ts';
import { loadContactFacts } from './contact-history.store.ts';
import type { CallOutcome } from './channels/call-task-channel.ts';
import type { MessageLanguage } from './channels/message-channel.ts';
import { enqueueMessage } from './dispatch.service.ts';
import { type LenderSignature, messageVariables } from './message-variables.ts';
import { MAXIMUM_GRACE_DAYS, MAXIMUM_INSTALMENTS } from './promise.ts';
import { loadApprovedTemplates, type StoredTemplate } from './template.service.ts';
import { approveTemplate, renderTemplate, TemplateError } from './templates.ts';
import { orderCallTasks, type CallTask } from './work-queue.ts';

/**
 * What collectors and supervisors do on cases: the call queue, contacts through the gate, outcomes,
 * promises to pay, field visits and assignment. An agent sees only the cases assigned to them (any
 * other case is NOT_FOUND); a supervisor sees every case. Each change runs in the caller's
 * transaction, so a route wraps it with its idempotency record.
 */
export interface CaseViewer {
  agentId: string;
  supervisor: boolean;
  /** Holds `borrowers:read-unmasked`: sees the borrower's name, phone and address in full. */
  unmasked?: boolean;
}

/**
 * The borrower as a case view shows them: masked as `maskBorrower` masks (first character of the
 * name, phone's first 3 and last 2 digits, street hidden, city kept) unless the viewer may see more.
 *
 * @example borrowerView({ agentId: 'key_1', supervisor: false }, { full_name: '王小明', phones: [{ number: '+8613800138000' }], addresses: [] }) // { name: '王**', phone: '+86*********00', address: null }
 */
export function borrowerView(viewer: CaseViewer, row: { full_name: string; phones: unknown; addresses: unknown }) {
  const parse = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value) as Array<Record<string, string | null>> | null;
  const phone = parse(row.phones)?.[0]?.number ?? null;
  const address = parse(row.addresses)?.[0] ?? null;
  if (viewer.unmasked) {
    return { name: row.full_name, phone, address: address ? [address.line1, address.line2, address.city, address.region, address.postalCode].filter(Boolean).join(', ') : null, masked: false };
  }
  return {
    name: maskText(row.full_name, 1, 0), phone: phone === null ? null : maskText(phone, 3, 2),
    address: address ? [maskText(address.line1 ?? '', 0, 0), address.city, address.region].filter(Boolean).join(', ') : null, masked: true,
  };
}

/** The lender's name and phone sign the messages a collector sends by hand, as they sign the daily run's. */
export interface CaseWorkDependencies extends LenderSignature {
  db: Executor;
  ids: IdGenerator;
  clock: Clock;
}

const CLOSED_STATUSES = ['closed-cured', 'closed-paid', 'closed-charged-off', 'closed-settled'];
const CONTACT_CHANNELS = ['call', 'voicemail', 'sms', 'email'] as const;
const HISTORY_MILLISECONDS = 31 * 86_400_000;
const MAXIMUM_NOTE_LENGTH = 2_000;
const MAXIMUM_REPORT_LENGTH = 10_000;
const MAXIMUM_COLLECTORS = 20;

async function visibleCase(db: Executor, viewer: CaseViewer, caseId: string) {
  const row = await db.selectFrom('collection_case').innerJoin('borrower', 'borrower.id', 'collection_case.borrower_id').innerJoin('loan', 'loan.id', 'collection_case.loan_id')
    .selectAll('collection_case').select(['borrower.time_zone', 'borrower.jurisdiction', 'borrower.language', 'borrower.full_name', 'borrower.phones', 'borrower.emails', 'borrower.addresses', 'loan.currency', 'loan.oldest_unpaid_due_date',
      'loan.principal_outstanding_minor', 'loan.interest_outstanding_minor', 'loan.fee_outstanding_minor', 'loan.penalty_outstanding_minor'])
    .where('collection_case.id', '=', caseId).executeTakeFirst();
  if (!row || (!viewer.supervisor && row.agent_id !== viewer.agentId)) throw new LenityError('NOT_FOUND', `Case ${caseId} does not exist`);
  return row;
}

function policyOf(jurisdiction: string): PackId {
  return (PACK_IDS as readonly string[]).includes(jurisdiction) ? (jurisdiction as PackId) : 'CN';
}

function assertOpen(row: { id: string; status: string }) {
  if (CLOSED_STATUSES.includes(row.status)) throw new LenityError('INVALID_STATE', `Case ${row.id} is ${row.status}`);
}

/** A case held for a dispute is a disputed debt to the gate: collection contact stops until it is resolved. */
function withCaseFlags<T extends { flags: readonly string[] }>(stated: T, caseStatus: string): T {
  return caseStatus === 'dispute-hold' && !stated.flags.includes('dispute') ? { ...stated, flags: [...stated.flags, 'dispute'] } : stated;
}

async function gateRequest(db: Executor, clock: Clock, row: { borrower_id: string; loan_id: string; status: string; time_zone: string | null; jurisdiction: string }, channel: Channel, visit?: { collectors: number; approved: boolean }) {
  const now = clock.now();
  const { flags, history } = await loadContactFacts(db, [row.borrower_id], new Date(now.getTime() - HISTORY_MILLISECONDS));
  // The history holds the letters and e-mails sent: where a visit needs written notice first (UK), they are that notice.
  const past = history.get(row.borrower_id) ?? [];
  return contactRequestFor({
    policy: policyOf(row.jurisdiction), at: now, borrower: { timeZone: row.time_zone, ...withCaseFlags(flags.get(row.borrower_id) ?? { flags: [], optOuts: [], inconvenient: [] }, row.status) },
    channel, loanId: row.loan_id, history: past, ...(visit ? { visit } : {}),
  });
}

/**
 * A case with its promises, visits and attempts.
 *
 * @example await getCase(db, { agentId: 'key_1', supervisor: false }, 'case_1', '2026-03-10')
 */
export async function getCase(db: Executor, viewer: CaseViewer, caseId: string, businessDate: BusinessDate) {
  const row = await visibleCase(db, viewer, caseId);
  const [promises, visits, attempts, holds, notes, receipts, amountDue] = await Promise.all([
    db.selectFrom('promise_to_pay').selectAll().where('case_id', '=', caseId).orderBy('made_on').execute(),
    db.selectFrom('field_visit').selectAll().where('case_id', '=', caseId).orderBy('requested_on').execute(),
    db.selectFrom('contact_attempt').selectAll().where('case_id', '=', caseId).orderBy('at').execute(),
    db.selectFrom('case_hold').selectAll().where('borrower_id', '=', row.borrower_id).where('loan_id', '=', row.loan_id).orderBy('held_on').execute(),
    db.selectFrom('case_note').selectAll().where('borrower_id', '=', row.borrower_id).where('case_id', '=', caseId).orderBy('created_at').orderBy('id').execute(),
    // Every gate decision about this loan, refusals too (an agent's refused call leaves no attempt).
    db.selectFrom('contact_receipt').select(['id', 'attempt_at', 'request', 'decision']).where('borrower_id', '=', row.borrower_id).where('debt_id', '=', row.loan_id)
      .orderBy('attempt_at', 'desc').orderBy('id', 'desc').limit(MAXIMUM_GATE_CHECKS).execute(),
    amountsDue(db, [row.loan_id], businessDate),
  ]);
  const currency = row.currency as CurrencyCode;
  const decisionOf = new Map(receipts.map((receipt) => [receipt.id, summarizeDecision(receipt.decision)]));
  return {
    id: row.id, borrowerId: row.borrower_id, borrower: borrowerView(viewer, row), loanId: row.loan_id, status: row.status, strategy: { id: row.strategy_id, version: row.strategy_version }, arm: row.arm,
    agentId: row.agent_id, openedOn: row.opened_on, closedOn: row.closed_on, daysPastDue: daysPastDueOn(row.oldest_unpaid_due_date, businessDate), promiseBrokenOn: row.promise_broken_on,
    lastRightPartyContactOn: row.last_right_party_contact_on,
    currency, amountDue: formatMoney(amountDue.get(row.loan_id) ?? 0n, currency), language: row.language, timeZone: row.time_zone, jurisdiction: row.jurisdiction,
    promises: promises.map((promise) => ({
      id: promise.id, status: promise.status, madeOn: promise.made_on, judgedOn: promise.judged_on, graceDays: promise.grace_days,
      tolerance: formatMoney(BigInt(promise.tolerance_minor), currency),
      instalments: storedInstalments(promise.instalments).map((instalment) => ({ dueOn: instalment.dueOn, amount: formatMoney(instalment.amountMinor, currency) })),
    })),
    visits: visits.map(formatVisit),
    attempts: attempts.map((attempt) => ({
      id: attempt.id, channel: attempt.channel, at: attempt.at.toISOString(), agentId: attempt.agent_id, receiptId: attempt.receipt_id, outcome: attempt.outcome, note: attempt.note,
      decision: decisionOf.get(attempt.receipt_id) ?? null,
    })),
    gateChecks: receipts.map((receipt) => ({
      receiptId: receipt.id, at: receipt.attempt_at.toISOString(), channel: channelOfRequest(receipt.request), ...summarizeDecision(receipt.decision),
    })),
    holds: holds.map((hold) => ({ id: hold.id, kind: hold.kind, active: hold.active, heldOn: hold.held_on, releasedOn: hold.released_on })),
    notes: notes.map((note) => ({ id: note.id, authorId: note.author_id, text: note.text, at: note.created_at.toISOString() })),
  };
}

const MAXIMUM_GATE_CHECKS = 50;

/** A stored decision as a case view shows it: allowed or not, the reason codes, and when a time-based refusal ends. */
function summarizeDecision(json: unknown): { allowed: boolean; reasonCodes: string[]; allowAfter: string | null; policy: string } {
  const decision = (typeof json === 'string' ? JSON.parse(json) : json) as ContactDecision;
  return { allowed: decision.decision === 'allow', reasonCodes: decision.reasons.map((reason) => reason.code), allowAfter: decision.allowAfter, policy: decision.policy };
}

function channelOfRequest(json: unknown): string | null {
  const request = (typeof json === 'string' ? JSON.parse(json) : json) as { attempt?: { channel?: string } } | null;
  return request?.attempt?.channel ?? null;
}

function formatVisit(visit: { id: string; case_id: string; status: string; requested_by: string; requested_on: string; approved_by: string | null; collectors: string[] | string; slot: Date | null; check_in_location: string | null; checked_in_at: Date | null; receipt_id: string | null; outcome: string | null; report: string | null; payment_id: string | null }) {
  return {
    id: visit.id, caseId: visit.case_id, status: visit.status, requestedBy: visit.requested_by, requestedOn: visit.requested_on, approvedBy: visit.approved_by,
    collectors: typeof visit.collectors === 'string' ? (JSON.parse(visit.collectors) as string[]) : visit.collectors, slot: visit.slot?.toISOString() ?? null,
    checkInLocation: visit.check_in_location, checkedInAt: visit.checked_in_at?.toISOString() ?? null, receiptId: visit.receipt_id, outcome: visit.outcome,
    report: visit.report, paymentId: visit.payment_id,
  };
}

/**
 * The viewer's open call tasks, best first (`orderCallTasks`): contact window open now, then promises
 * due, then days past due, then balance. Loaded with one query per table.
 *
 * @example (await listQueue({ db, ids, clock }, viewer, '2026-03-10'))[0].windowOpen // true
 */
export async function listQueue(dependencies: CaseWorkDependencies, viewer: CaseViewer, businessDate: BusinessDate) {
  const { db, clock } = dependencies;
  let query = db.selectFrom('call_task').innerJoin('collection_case', 'collection_case.id', 'call_task.case_id')
    .innerJoin('loan', 'loan.id', 'collection_case.loan_id').innerJoin('borrower', 'borrower.id', 'collection_case.borrower_id')
    .select([
      'call_task.id', 'call_task.case_id', 'call_task.phone', 'call_task.script', 'collection_case.borrower_id', 'collection_case.loan_id', 'collection_case.status', 'loan.oldest_unpaid_due_date', 'loan.currency',
      'loan.principal_outstanding_minor', 'loan.interest_outstanding_minor', 'loan.fee_outstanding_minor', 'loan.penalty_outstanding_minor', 'borrower.time_zone',
      'borrower.jurisdiction', 'borrower.language', 'borrower.full_name', 'borrower.phones', 'borrower.addresses', 'loan.bucket',
    ])
    .where('call_task.status', '=', 'open').where('collection_case.closed_on', 'is', null).limit(1000);
  if (!viewer.supervisor) query = query.where('collection_case.agent_id', '=', viewer.agentId);
  const rows = await query.execute();
  if (rows.length === 0) return [];
  const now = clock.now();
  const { flags, history } = await loadContactFacts(db, [...new Set(rows.map((row) => row.borrower_id))], new Date(now.getTime() - HISTORY_MILLISECONDS));
  const promises = await db.selectFrom('promise_to_pay').select(['case_id', 'instalments']).where('status', '=', 'pending').where('case_id', 'in', [...new Set(rows.map((row) => row.case_id!))]).execute();
  const promiseDue = new Set(promises.filter((promise) => storedInstalments(promise.instalments).some((instalment) => instalment.dueOn <= businessDate)).map((promise) => promise.case_id));
  const amountDueOf = await amountsDue(db, [...new Set(rows.map((row) => row.loan_id))], businessDate);
  const byId = new Map(rows.map((row) => [row.id, row]));
  const tasks: CallTask[] = rows.map((row) => ({
    id: row.id, caseId: row.case_id!, jurisdiction: policyOf(row.jurisdiction), language: row.language as MessageLanguage, region: '', dpd: daysPastDueOn(row.oldest_unpaid_due_date, businessDate),
    balanceMinor: BigInt(row.principal_outstanding_minor) + BigInt(row.interest_outstanding_minor) + BigInt(row.fee_outstanding_minor) + BigInt(row.penalty_outstanding_minor),
    promiseDue: promiseDue.has(row.case_id!),
    contactRequest: parseContactRequest(contactRequestFor({
      policy: policyOf(row.jurisdiction), at: now, borrower: { timeZone: row.time_zone, ...withCaseFlags(flags.get(row.borrower_id) ?? { flags: [], optOuts: [], inconvenient: [] }, row.status) },
      channel: 'call', loanId: row.loan_id, history: history.get(row.borrower_id) ?? [],
    })),
  }));
  return orderCallTasks(tasks).map((task) => {
    const row = byId.get(task.id)!;
    const borrower = borrowerView(viewer, { ...row, phones: [{ number: row.phone }] });
    return { taskId: task.id, caseId: task.caseId, borrowerName: borrower.name, phone: borrower.phone, address: borrower.address,
      // The script was rendered with the borrower's name: it is masked with the rest.
      script: borrower.masked ? row.script.replaceAll(row.full_name, borrower.name) : row.script, windowOpen: task.windowOpen, promiseDue: task.promiseDue, daysPastDue: task.dpd, balance: formatMoney(task.balanceMinor, row.currency as CurrencyCode),
      // The gate's answer for a call at the server's now, in the borrower's zone: the screen shows it, never works it out.
      contactAllowedNow: task.windowOpen, nextAllowedAt: task.windowOpen ? null : task.allowAfter, reasonCodes: task.reasonCodes,
      loanId: row.loan_id, currency: row.currency, amountDue: formatMoney(amountDueOf.get(row.loan_id) ?? 0n, row.currency as CurrencyCode), bucket: row.bucket,
      language: row.language, timeZone: row.time_zone, jurisdiction: row.jurisdiction };
  });
}

/** What is due and unpaid on each loan on the business date (instalments due by then, less what was paid or waived), in one query. */
async function amountsDue(db: Executor, loanIds: string[], businessDate: BusinessDate): Promise<Map<string, bigint>> {
  if (loanIds.length === 0) return new Map();
  const rows = await db.selectFrom('installment').select([
    'loan_id',
    sql<string>`sum(principal_minor + interest_minor + fee_minor + penalty_minor - principal_paid_minor - interest_paid_minor - fee_paid_minor - penalty_paid_minor - fee_waived_minor - penalty_waived_minor)`.as('due'),
  ]).where('loan_id', 'in', loanIds).where('due_date', '<=', businessDate).groupBy('loan_id').execute();
  return new Map(rows.map((row) => [row.loan_id, BigInt(row.due)]));
}

/**
 * Runs the gate NOW for a contact an agent is about to make. Allowed: the attempt is recorded with
 * its receipt (201); an SMS or e-mail is rendered from its approved template and queued for the
 * dispatcher (`messageId`), which asks the gate again when it sends. Refused: the decision with its
 * reasons and `allowAfter` (200); the receipt is stored either way. The attempt and its message
 * commit together or not at all.
 *
 * @example await attemptContact(dependencies, viewer, 'case_1', '2026-03-10', { channel: 'sms', templateId: 'dpd-1.en' }) // { status: 201, body: { allowed: true, attemptId, receiptId, decision, template, messageId } }
 */
export async function attemptContact(dependencies: CaseWorkDependencies, viewer: CaseViewer, caseId: string, businessDate: BusinessDate, json: unknown) {
  const { ids, clock } = dependencies;
  const body = readObject(json ?? {}, '(root)', ['channel', 'note', 'templateId']);
  const channel = readEnum(body, 'channel', '(root)', CONTACT_CHANNELS, 'call');
  const templateId = readOptionalString(body, 'templateId', '(root)');
  const note = readOptionalString(body, 'note', '(root)');
  return inTransaction(dependencies.db, async (db) => {
    const work = { ...dependencies, db };
    const row = await visibleCase(db, viewer, caseId);
    assertOpen(row);
    const template = await approvedTemplateFor(work, channel, templateId);
    // Addressed and rendered before the gate is asked: a borrower who cannot be reached on this
    // channel, or a text that would not pass the template check, leaves no receipt behind.
    const message = template === null ? null : await handSentMessage(work, row, template, businessDate);
    const templateVersion = template === null ? null : { id: template.id, version: template.version };
    const request = await gateRequest(db, clock, row, channel);
    const { receiptId, decision } = await evaluateAndRecord(db, ids, { borrowerId: row.borrower_id, request, agentId: viewer.agentId });
    if (decision.decision !== 'allow') return { status: 200, body: { allowed: false, attemptId: null, receiptId, decision, template: templateVersion, messageId: null } };
    const attemptId = ids('att');
    await db.insertInto('contact_attempt').values({
      id: attemptId, case_id: caseId, borrower_id: row.borrower_id, channel, at: clock.now(), agent_id: viewer.agentId, receipt_id: receiptId, outcome: null, note,
    }).execute();
    let messageId: string | null = null;
    if (message !== null) {
      // The dispatcher stamps the instant when it asks the gate again at send time.
      const { at: _at, ...contactRequest } = request;
      const queued = await enqueueMessage(db, { clock, ids }, { ...message, idempotencyKey: `contact:${attemptId}`, contactRequest });
      messageId = queued.id;
    }
    return { status: 201, body: { allowed: true, attemptId, receiptId, decision, template: templateVersion, messageId } };
  });
}

/** A message an agent sends by hand is made from an approved template of its channel: that template's approved version (null for calls). */
async function approvedTemplateFor(dependencies: CaseWorkDependencies, channel: (typeof CONTACT_CHANNELS)[number], templateId: string | null): Promise<StoredTemplate | null> {
  if (channel !== 'sms' && channel !== 'email') {
    if (templateId !== null) throw validationError('templateId', `a ${channel} takes no template`);
    return null;
  }
  if (templateId === null) throw validationError('templateId', `an ${channel === 'sms' ? 'SMS' : 'e-mail'} must name an approved template`);
  const template = (await loadApprovedTemplates(dependencies.db, dependencies.clock)).get(templateId);
  if (!template) throw validationError('templateId', `no approved template "${templateId}"`);
  if (template.channel !== channel) throw validationError('templateId', `template "${templateId}" is for ${template.channel}, not ${channel}`);
  return template;
}

/**
 * What a collector's SMS or e-mail says and where it goes: the template rendered under the borrower's
 * pack with the daily run's variables (`messageVariables`), to the borrower's first phone or first
 * e-mail address, as the daily run addresses its messages.
 */
async function handSentMessage(dependencies: CaseWorkDependencies, row: Awaited<ReturnType<typeof visibleCase>>, template: StoredTemplate, businessDate: BusinessDate) {
  const { db } = dependencies;
  const channel: 'sms' | 'email' = template.channel === 'email' ? 'email' : 'sms';
  const to = channel === 'email' ? firstOf(row.emails, 'address') : firstOf(row.phones, 'number');
  if (to === null) {
    throw new LenityError('NO_CONTACT_ADDRESS', `The borrower of case ${row.id} has no ${channel === 'email' ? 'e-mail address' : 'phone number'} on file; an ${channel === 'email' ? 'e-mail' : 'SMS'} cannot be sent`, { field: 'channel' });
  }
  const balanceMinor = BigInt(row.principal_outstanding_minor) + BigInt(row.interest_outstanding_minor) + BigInt(row.fee_outstanding_minor) + BigInt(row.penalty_outstanding_minor);
  const variables = messageVariables({
    borrowerName: row.full_name, loanId: row.loan_id, currency: row.currency as CurrencyCode, overdueMinor: (await amountsDue(db, [row.loan_id], businessDate)).get(row.loan_id) ?? null,
    balanceMinor, oldestUnpaidDueDate: row.oldest_unpaid_due_date, daysPastDue: daysPastDueOn(row.oldest_unpaid_due_date, businessDate), businessDate,
  }, dependencies);
  const policy = policyOf(row.jurisdiction);
  let rendered: { subject: string | null; body: string };
  try {
    rendered = renderTemplate(approveTemplate(template, policy), policy, variables);
  } catch (error) {
    // A borrower's own details can bring in words the template check refuses: the collector is told why, not given a server error.
    if (!(error instanceof TemplateError)) throw error;
    throw new LenityError('TEMPLATE_CHECK_FAILED', error.message, { field: 'templateId', reasons: error.findings.map((finding) => ({ policy, code: finding.code, rule: finding.rule, message: finding.message, match: finding.match })) });
  }
  return { borrowerId: row.borrower_id, channel, to, subject: rendered.subject, body: rendered.body, language: template.language, template: { id: template.id, version: template.version } };
}

const CALL_TASK_OUTCOME: Record<AgentOutcome, CallOutcome> = {
  'no-answer': 'no-answer', voicemail: 'voicemail', 'right-party-contact': 'conversation', 'wrong-party': 'wrong-number', promise: 'conversation',
  refused: 'conversation', 'dispute-raised': 'conversation', 'hardship-requested': 'conversation', paid: 'conversation', bankruptcy: 'conversation',
  attorney: 'conversation', deceased: 'connected', cease: 'refused-contact',
};

/** What an outcome does to the case and the borrower's flags (shared by calls and visits). */
async function applyOutcome(dependencies: CaseWorkDependencies, row: { id: string; borrower_id: string; loan_id: string; status: string }, outcome: AgentOutcome, businessDate: BusinessDate) {
  const { db, ids, clock } = dependencies;
  const changes: { last_right_party_contact_on?: string; status?: string; updated_at: Date } = { updated_at: clock.now() };
  if (RIGHT_PARTY_OUTCOMES.includes(outcome)) changes.last_right_party_contact_on = businessDate;
  if (outcome === 'dispute-raised' || outcome === 'hardship-requested') {
    changes.status = outcome === 'dispute-raised' ? 'dispute-hold' : 'hardship-review';
    // Ageing stops while a dispute or hardship request is looked at, so the borrower is not pushed
    // into a worse bucket by our own review time.
    await pauseAgeing(db, ids, row.loan_id, { from: businessDate, reason: outcome === 'dispute-raised' ? 'Dispute raised with a collector' : 'Hardship requested' });
  }
  if (outcome === 'bankruptcy' || outcome === 'attorney' || outcome === 'deceased') changes.status = 'legal-hold';
  await db.updateTable('collection_case').set(changes).where('id', '=', row.id).execute();
  const flag = OUTCOME_FLAGS[outcome];
  if (flag) {
    const existing = await db.selectFrom('borrower_contact_flags').selectAll().where('borrower_id', '=', row.borrower_id).executeTakeFirst();
    const flags = [...new Set([...(existing?.flags ?? []), flag])];
    await db.insertInto('borrower_contact_flags').values({ borrower_id: row.borrower_id, flags: JSON.stringify(flags), opt_outs: JSON.stringify(existing?.opt_outs ?? []), inconvenient: JSON.stringify(existing?.inconvenient ?? []), updated_at: clock.now() })
      .onConflict((conflict) => conflict.column('borrower_id').doUpdateSet({ flags: JSON.stringify(flags), updated_at: clock.now() })).execute();
  }
}

/**
 * Logs how a contact went: on the attempt, on the call task when given, and on the case (right-party
 * contact, dispute-hold and hardship-review with ageing paused, legal-hold) and the borrower's flags
 * (bankruptcy, attorney, cease: the gate honours them from the next contact on).
 *
 * @example await logOutcome(dependencies, viewer, 'case_1', '2026-03-10', { attemptId: 'att_1', outcome: 'dispute-raised' })
 */
export async function logOutcome(dependencies: CaseWorkDependencies, viewer: CaseViewer, caseId: string, businessDate: BusinessDate, json: unknown) {
  const { db, clock } = dependencies;
  const body = readObject(json, '(root)', ['attemptId', 'taskId', 'outcome', 'note']);
  const outcome = readEnum(body, 'outcome', '(root)', AGENT_OUTCOMES);
  const attemptId = readString(body, 'attemptId', '(root)');
  const taskId = readOptionalString(body, 'taskId', '(root)');
  const note = readOptionalString(body, 'note', '(root)');
  if (note !== null && note.length > MAXIMUM_NOTE_LENGTH) throw validationError('note', `must hold at most ${MAXIMUM_NOTE_LENGTH} characters`);
  const row = await visibleCase(db, viewer, caseId);
  assertOpen(row);
  const attempt = await db.selectFrom('contact_attempt').selectAll().where('id', '=', attemptId).where('case_id', '=', caseId).executeTakeFirst();
  if (!attempt) throw validationError('attemptId', `no attempt "${attemptId}" on case ${caseId}`);
  if (attempt.outcome !== null) throw new LenityError('INVALID_STATE', `Attempt ${attemptId} already has the outcome "${attempt.outcome}"`);
  await db.updateTable('contact_attempt').set({ outcome, note }).where('id', '=', attemptId).execute();
  if (taskId !== null) {
    const result = await db.updateTable('call_task').set({ status: 'done', outcome: CALL_TASK_OUTCOME[outcome], outcome_note: note, agent_id: viewer.agentId, completed_at: clock.now() })
      .where('id', '=', taskId).where('case_id', '=', caseId).where('status', '=', 'open').executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw validationError('taskId', `no open call task "${taskId}" on case ${caseId}`);
  }
  await applyOutcome(dependencies, row, outcome, businessDate);
  return { status: 200, body: await getCase(db, viewer, caseId, businessDate) };
}

/**
 * Records a promise to pay (one payment or instalments) and puts the case in `promised`. Amounts are
 * decimal strings in the loan's currency. It is judged every day from real payments.
 *
 * @example await makePromise(dependencies, viewer, 'case_1', '2026-03-10', { instalments: [{ dueOn: '2026-03-15', amount: '500.00' }], tolerance: '1.00', graceDays: 1 })
 */
export async function makePromise(dependencies: CaseWorkDependencies, viewer: CaseViewer, caseId: string, businessDate: BusinessDate, json: unknown) {
  const { db, ids } = dependencies;
  const row = await visibleCase(db, viewer, caseId);
  assertOpen(row);
  const currency = row.currency as CurrencyCode;
  const body = readObject(json, '(root)', ['instalments', 'tolerance', 'graceDays']);
  const list = readArray(body, 'instalments', '(root)');
  if (list.length === 0 || list.length > MAXIMUM_INSTALMENTS) throw validationError('instalments', `must hold 1 to ${MAXIMUM_INSTALMENTS} instalments`);
  const instalments = list.map((item, index) => {
    const field = fieldPath('instalments', index);
    const object = readObject(item, field, ['dueOn', 'amount']);
    const dueOn = parseBusinessDate(object.dueOn, fieldPath(field, 'dueOn'));
    if (dueOn < businessDate) throw validationError(fieldPath(field, 'dueOn'), 'must not be in the past');
    return { dueOn, amountMinor: parseMoney(object.amount, currency, { field: fieldPath(field, 'amount'), allowZero: false }) };
  });
  const toleranceMinor = body.tolerance === undefined ? 0n : parseMoney(body.tolerance, currency, { field: 'tolerance', allowZero: true });
  const graceDays = readInteger(body, 'graceDays', '(root)', { min: 0, max: MAXIMUM_GRACE_DAYS, fallback: 1 });
  const pending = await db.selectFrom('promise_to_pay').select('id').where('case_id', '=', caseId).where('status', '=', 'pending').executeTakeFirst();
  if (pending) throw new LenityError('INVALID_STATE', `Case ${caseId} already has a pending promise (${pending.id})`);
  const id = ids('ptp');
  await db.insertInto('promise_to_pay').values({
    id, case_id: caseId, borrower_id: row.borrower_id, loan_id: row.loan_id, tolerance_minor: toleranceMinor, grace_days: graceDays, status: 'pending', made_on: businessDate,
    made_by: viewer.agentId, judged_on: null,
    instalments: JSON.stringify(instalments.map((instalment) => ({ dueOn: instalment.dueOn, amountMinor: instalment.amountMinor.toString() }))),
  }).execute();
  await db.updateTable('collection_case').set({ status: 'promised', last_right_party_contact_on: businessDate }).where('id', '=', caseId).where('status', '=', 'open').execute();
  return { status: 201, body: await getCase(db, viewer, caseId, businessDate) };
}

/**
 * Assigns a case (and its open call tasks) to an agent. Supervisors only (the route checks).
 *
 * @example await assignCase(dependencies, 'case_1', '2026-03-10', { agentId: 'key_7' })
 */
export async function assignCase(dependencies: CaseWorkDependencies, caseId: string, businessDate: BusinessDate, json: unknown) {
  const { db, clock } = dependencies;
  const body = readObject(json, '(root)', ['agentId']);
  const agentId = readString(body, 'agentId', '(root)');
  const row = await visibleCase(db, { agentId: '', supervisor: true }, caseId);
  assertOpen(row);
  await db.updateTable('collection_case').set({ agent_id: agentId, updated_at: clock.now() }).where('id', '=', caseId).execute();
  await db.updateTable('call_task').set({ agent_id: agentId }).where('case_id', '=', caseId).where('status', '=', 'open').execute();
  return { status: 200, body: await getCase(db, { agentId, supervisor: false }, caseId, businessDate) };
}

/**
 * Asks for a field visit on a case. A visit is never scheduled without a supervisor's approval.
 *
 * @example await requestVisit(dependencies, viewer, 'case_1', '2026-04-10', {})
 */
export async function requestVisit(dependencies: CaseWorkDependencies, viewer: CaseViewer, caseId: string, businessDate: BusinessDate, json: unknown) {
  const { db, ids, clock } = dependencies;
  readObject(json ?? {}, '(root)', []);
  const row = await visibleCase(db, viewer, caseId);
  assertOpen(row);
  const active = await db.selectFrom('field_visit').select('id').where('case_id', '=', caseId).where('status', 'in', ['requested', 'approved', 'scheduled', 'checked-in']).executeTakeFirst();
  if (active) throw new LenityError('INVALID_STATE', `Case ${caseId} already has a visit in progress (${active.id})`);
  const id = ids('visit');
  await db.insertInto('field_visit').values({
    id, case_id: caseId, borrower_id: row.borrower_id, status: 'requested', requested_by: viewer.agentId, requested_on: businessDate, approved_by: null,
    collectors: JSON.stringify([]), slot: null, check_in_location: null, checked_in_at: null, receipt_id: null, outcome: null, report: null, payment_id: null, updated_at: clock.now(),
  }).execute();
  return { status: 201, body: formatVisit(await loadVisit(db, id)) };
}

async function loadVisit(db: Executor, visitId: string) {
  const visit = await db.selectFrom('field_visit').selectAll().where('id', '=', visitId).executeTakeFirst();
  if (!visit) throw new LenityError('NOT_FOUND', `Visit ${visitId} does not exist`);
  return visit;
}

/**
 * A supervisor approves a requested visit: the collectors who go (the CN pack wants at least two)
 * and, when given, the slot (the visit is then `scheduled`).
 *
 * @example await approveVisit(dependencies, supervisor, 'visit_1', { collectors: ['key_3', 'key_4'], slot: '2026-04-12T02:00:00Z' })
 */
export async function approveVisit(dependencies: CaseWorkDependencies, viewer: CaseViewer, visitId: string, json: unknown) {
  const { db, clock } = dependencies;
  const body = readObject(json, '(root)', ['collectors', 'slot']);
  const collectors = readArray(body, 'collectors', '(root)').map((item, index) => {
    if (typeof item !== 'string' || item.length === 0) throw validationError(fieldPath('collectors', index), 'must be an agent id');
    return item;
  });
  if (collectors.length === 0 || collectors.length > MAXIMUM_COLLECTORS) throw validationError('collectors', `must name 1 to ${MAXIMUM_COLLECTORS} collectors`);
  const slotText = readOptionalString(body, 'slot', '(root)');
  const slot = slotText === null ? null : new Date(slotText);
  if (slot !== null && Number.isNaN(slot.getTime())) throw validationError('slot', 'must be an RFC 3339 instant');
  const visit = await loadVisit(db, visitId);
  if (visit.status !== 'requested') throw new LenityError('INVALID_STATE', `Visit ${visitId} is ${visit.status}; only a requested visit can be approved`);
  await db.updateTable('field_visit').set({ status: slot === null ? 'approved' : 'scheduled', approved_by: viewer.agentId, collectors: JSON.stringify([...new Set(collectors)]), slot, updated_at: clock.now() })
    .where('id', '=', visitId).execute();
  return { status: 200, body: formatVisit(await loadVisit(db, visitId)) };
}

/**
 * A supervisor turns down a requested visit, with the reason (kept as the visit's report).
 *
 * @example await rejectVisit(dependencies, supervisor, 'visit_1', { reason: 'Calls have not been tried this month' })
 */
export async function rejectVisit(dependencies: CaseWorkDependencies, viewer: CaseViewer, visitId: string, json: unknown) {
  const { db, clock } = dependencies;
  const body = readObject(json, '(root)', ['reason']);
  const reason = readString(body, 'reason', '(root)');
  if (reason.length === 0 || reason.length > MAXIMUM_NOTE_LENGTH) throw validationError('reason', `must hold 1 to ${MAXIMUM_NOTE_LENGTH} characters`);
  const visit = await loadVisit(db, visitId);
  if (visit.status !== 'requested') throw new LenityError('INVALID_STATE', `Visit ${visitId} is ${visit.status}; only a requested visit can be rejected`);
  await db.updateTable('field_visit').set({ status: 'rejected', approved_by: viewer.agentId, report: reason, updated_at: clock.now() }).where('id', '=', visitId).execute();
  return { status: 200, body: formatVisit(await loadVisit(db, visitId)) };
}

async function visitForCollector(db: Executor, viewer: CaseViewer, visitId: string) {
  const visit = await loadVisit(db, visitId);
  const collectors = typeof visit.collectors === 'string' ? (JSON.parse(visit.collectors) as string[]) : visit.collectors;
  if (!viewer.supervisor && !collectors.includes(viewer.agentId)) throw new LenityError('NOT_FOUND', `Visit ${visitId} does not exist`);
  const row = await visibleCase(db, { agentId: '', supervisor: true }, visit.case_id);
  return { visit, collectors, row };
}

/**
 * A collector named on an approved visit checks in at the borrower's door: the gate is asked at that
 * moment (hours, approval, number of collectors) and the attempt recorded with its receipt. Without
 * approval the check-in is refused.
 *
 * @example await checkInVisit(dependencies, collector, 'visit_1', { location: '31.2304,121.4737' })
 */
export async function checkInVisit(dependencies: CaseWorkDependencies, viewer: CaseViewer, visitId: string, json: unknown) {
  const { db, ids, clock } = dependencies;
  const body = readObject(json, '(root)', ['location']);
  const location = readString(body, 'location', '(root)');
  const { visit, collectors, row } = await visitForCollector(db, viewer, visitId);
  if (visit.status !== 'approved' && visit.status !== 'scheduled') throw new LenityError('INVALID_STATE', `Visit ${visitId} is ${visit.status}; a visit needs a supervisor's approval before check-in`);
  assertOpen(row);
  const request = await gateRequest(db, clock, row, 'visit', { collectors: collectors.length, approved: true });
  const { receiptId, decision } = await evaluateAndRecord(db, ids, { borrowerId: row.borrower_id, request, agentId: viewer.agentId });
  if (decision.decision !== 'allow') return { status: 200, body: { checkedIn: false, receiptId, decision, visit: formatVisit(visit) } };
  await db.insertInto('contact_attempt').values({ id: ids('att'), case_id: row.id, borrower_id: row.borrower_id, channel: 'visit', at: clock.now(), agent_id: viewer.agentId, receipt_id: receiptId, outcome: null, note: null }).execute();
  await db.updateTable('field_visit').set({ status: 'checked-in', check_in_location: location, checked_in_at: clock.now(), receipt_id: receiptId, updated_at: clock.now() }).where('id', '=', visitId).execute();
  return { status: 200, body: { checkedIn: true, receiptId, decision, visit: formatVisit(await loadVisit(db, visitId)) } };
}

/**
 * Completes a checked-in visit with its outcome and report; a payment taken at the door is posted
 * through `postPayment` under the key `visit:<id>`, so a retry never posts it twice.
 *
 * @example await completeVisit(dependencies, collector, 'visit_1', '2026-04-12', { outcome: 'paid', report: 'Paid in cash', payment: { amount: '500.00' } })
 */
export async function completeVisit(dependencies: CaseWorkDependencies, viewer: CaseViewer, visitId: string, businessDate: BusinessDate, json: unknown) {
  const { db, ids, clock } = dependencies;
  const body = readObject(json, '(root)', ['outcome', 'report', 'payment']);
  const outcome = readEnum(body, 'outcome', '(root)', AGENT_OUTCOMES);
  const report = readString(body, 'report', '(root)');
  if (report.length === 0 || report.length > MAXIMUM_REPORT_LENGTH) throw validationError('report', `must hold 1 to ${MAXIMUM_REPORT_LENGTH} characters`);
  const payment = body.payment === undefined || body.payment === null ? null : readObject(body.payment, 'payment', ['amount']);
  const { visit, row } = await visitForCollector(db, viewer, visitId);
  if (visit.status !== 'checked-in') throw new LenityError('INVALID_STATE', `Visit ${visitId} is ${visit.status}; only a checked-in visit can be completed`);
  let paymentId: string | null = null;
  if (payment) {
    const posted = await postPayment({ db, ids }, row.loan_id, { amount: readString(payment, 'amount', 'payment'), idempotencyKey: `visit:${visitId}`, businessDate, note: `Field visit ${visitId}` });
    paymentId = posted.body.id;
  }
  await db.updateTable('contact_attempt').set({ outcome, note: report.slice(0, MAXIMUM_NOTE_LENGTH) }).where('receipt_id', '=', visit.receipt_id!).where('case_id', '=', row.id).execute();
  await db.updateTable('field_visit').set({ status: 'completed', outcome, report, payment_id: paymentId, updated_at: clock.now() }).where('id', '=', visitId).execute();
  await applyOutcome(dependencies, row, outcome, businessDate);
  return { status: 200, body: formatVisit(await loadVisit(db, visitId)) };
}

/**
 * Adds a collector's note to a case the viewer may see (open or closed: a note after closing still
 * tells the next reader something).
 *
 * @example await addNote(dependencies, viewer, 'case_1', { text: 'Asked to be called after 18:00 on weekdays' }) // { status: 201, body: { id: 'note_…', … } }
 */
export async function addNote(dependencies: CaseWorkDependencies, viewer: CaseViewer, caseId: string, json: unknown) {
  const { db, ids, clock } = dependencies;
  const body = readObject(json, '(root)', ['text']);
  const text = readString(body, 'text', '(root)').trim();
  if (text.length === 0 || text.length > MAXIMUM_NOTE_LENGTH) throw validationError('text', `must hold 1 to ${MAXIMUM_NOTE_LENGTH} characters`);
  const row = await visibleCase(db, viewer, caseId);
  const id = ids('note');
  const at = clock.now();
  await db.insertInto('case_note').values({ id, case_id: caseId, borrower_id: row.borrower_id, author_id: viewer.agentId, text, created_at: at }).execute();
  return { status: 201, body: { id, authorId: viewer.agentId, text, at: at.toISOString() } };
}

const MAXIMUM_VISITS_LISTED = 500;
const MINIMUM_REASON_LENGTH = 5;
const MAXIMUM_REASON_LENGTH = 500;
const REVEALED_FIELDS = ['fullName', 'phones', 'emails', 'addresses'] as const;

function readRevealReason(json: unknown): string {
  const body = readObject(json, '(root)', ['reason']);
  const reason = readString(body, 'reason', '(root)').trim();
  if (reason.length < MINIMUM_REASON_LENGTH || reason.length > MAXIMUM_REASON_LENGTH) {
    throw validationError('reason', `state why you need to see the personal data (${MINIMUM_REASON_LENGTH} to ${MAXIMUM_REASON_LENGTH} characters)`);
  }
  return reason;
}

type Parsed = Array<Record<string, string | null>>;
const parsedList = (value: unknown) => ((typeof value === 'string' ? JSON.parse(value) : value) ?? []) as Parsed;
const addressText = (address: Record<string, string | null>) => [address.line1, address.line2, address.city, address.region, address.postalCode].filter(Boolean).join(', ');

async function recordReveal(dependencies: CaseWorkDependencies, viewer: CaseViewer, role: string, borrowerId: string, reason: string) {
  await dependencies.db.insertInto('personal_data_access')
    .values({ borrower_id: borrowerId, key_id: viewer.agentId, role, reason, fields: JSON.stringify(REVEALED_FIELDS), at: dependencies.clock.now() }).execute();
}

/**
 * Shows the collector working a case the borrower's name, phones, e-mails and addresses in full, with
 * the stated reason recorded in `personal_data_access` (the same audit as the borrowers API): an
 * agent needs the number to dial it, and every look is on the record.
 *
 * @example await revealCaseContact(dependencies, viewer, 'agent', 'case_1', { reason: 'Calling about the overdue instalment' }) // { fullName: '王小明', phones: ['+8613800138000'], … }
 */
export async function revealCaseContact(dependencies: CaseWorkDependencies, viewer: CaseViewer, role: string, caseId: string, json: unknown) {
  const reason = readRevealReason(json);
  const row = await visibleCase(dependencies.db, viewer, caseId);
  await recordReveal(dependencies, viewer, role, row.borrower_id, reason);
  return {
    fullName: row.full_name, phones: parsedList(row.phones).map((phone) => phone.number), emails: parsedList((await dependencies.db.selectFrom('borrower').select('emails').where('id', '=', row.borrower_id).executeTakeFirstOrThrow()).emails).map((email) => email.address),
    addresses: parsedList(row.addresses).map(addressText), reason,
  };
}

/**
 * Shows a collector named on an approved visit where to go (the borrower's name, address and phone),
 * recording the reason like every unmasking. Not before approval, nor after the visit is closed.
 *
 * @example await revealVisitAddress(dependencies, collector, 'field-agent', 'visit_1', { reason: 'Driving to the approved visit' }) // { addresses: ['88 Nanjing Rd, Shanghai'], … }
 */
export async function revealVisitAddress(dependencies: CaseWorkDependencies, viewer: CaseViewer, role: string, visitId: string, json: unknown) {
  const reason = readRevealReason(json);
  const { visit, row } = await visitForCollector(dependencies.db, viewer, visitId);
  if (!['approved', 'scheduled', 'checked-in'].includes(visit.status)) throw new LenityError('INVALID_STATE', `Visit ${visitId} is ${visit.status}; the address is shown for an approved visit only`);
  await recordReveal(dependencies, viewer, role, row.borrower_id, reason);
  return { fullName: row.full_name, phones: parsedList(row.phones).map((phone) => phone.number), emails: [] as string[], addresses: parsedList(row.addresses).map(addressText), reason };
}

/**
 * The field visits a collector is named on that are still to be made or finished (approved,
 * scheduled, checked in), soonest slot first; the address stays masked until revealed.
 *
 * @example await listMyVisits(db, collector) // [{ id: 'visit_1', status: 'scheduled', slot: '2026-04-12T02:00:00.000Z', borrower: { name: '王**', … } }]
 */
export async function listMyVisits(db: Executor, viewer: CaseViewer) {
  let query = db.selectFrom('field_visit').innerJoin('borrower', 'borrower.id', 'field_visit.borrower_id').innerJoin('collection_case', 'collection_case.id', 'field_visit.case_id')
    .innerJoin('loan', 'loan.id', 'collection_case.loan_id')
    .selectAll('field_visit').select(['borrower.full_name', 'borrower.phones', 'borrower.addresses', 'borrower.time_zone', 'collection_case.loan_id', 'loan.currency'])
    .where('field_visit.status', 'in', ['approved', 'scheduled', 'checked-in']).orderBy('field_visit.slot').orderBy('field_visit.id').limit(MAXIMUM_VISITS_LISTED);
  if (!viewer.supervisor) query = query.where(sql<boolean>`field_visit.collectors @> ${JSON.stringify([viewer.agentId])}::jsonb`);
  const rows = await query.execute();
  return rows.map((row) => ({ ...formatVisit(row), borrower: borrowerView({ ...viewer, unmasked: false }, row), loanId: row.loan_id, currency: row.currency, timeZone: row.time_zone }));
}
