import { checkCollectorMayContact, type CollectorCertification } from '../compliance/collector-check.ts';
import type { ContactRequest } from '../compliance/contact-request.ts';
import { evaluateContact } from '../compliance/evaluate-contact.ts';
import type { PackId } from '../compliance/policy-pack.ts';
import type { MessageLanguage } from './channels/message-channel.ts';

/**
 * Call work queues: which call task comes first, and which agent gets it. Pure: the instant, the
 * gate requests and the certifications are facts passed in.
 */
export interface CallTask {
  id: string;
  caseId: string;
  jurisdiction: PackId;
  language: MessageLanguage;
  region: string;
  dpd: number;
  balanceMinor: bigint;
  /** A promise to pay falls due today or is overdue: worth a call first. */
  promiseDue: boolean;
  /** The gate request for calling now (compliance-check.md, parsed): it says whether the window is open. */
  contactRequest: ContactRequest;
}

export interface Agent {
  id: string;
  languages: MessageLanguage[];
  jurisdictions: PackId[];
  regions: string[];
  /** Tasks the agent can still take today. */
  capacity: number;
}

export interface RankedTask extends CallTask {
  windowOpen: boolean;
  /** When the gate would next allow a call (RFC 3339 UTC), if every reason it refuses now is time-based; else null. */
  allowAfter: string | null;
  /** Why the gate refuses a call now (its reason codes); empty when the window is open. */
  reasonCodes: string[];
}

export const MAXIMUM_QUEUE_LENGTH = 10_000;

/**
 * Orders call tasks: contact window open now first (asked of the gate), then promises due, then
 * higher DPD, then higher balance, then id (stable).
 *
 * @example orderCallTasks(tasks)[0].windowOpen // true when any task may be called now
 */
export function orderCallTasks(tasks: readonly CallTask[]): RankedTask[] {
  if (tasks.length > MAXIMUM_QUEUE_LENGTH) throw new RangeError(`A queue holds at most ${MAXIMUM_QUEUE_LENGTH} tasks.`);
  const ranked = tasks.map((task) => {
    const decision = evaluateContact(task.contactRequest);
    return { ...task, windowOpen: decision.decision === 'allow', allowAfter: decision.allowAfter, reasonCodes: decision.reasons.map((reason) => reason.code) };
  });
  return ranked.sort((a, b) => {
    if (a.windowOpen !== b.windowOpen) return a.windowOpen ? -1 : 1;
    if (a.promiseDue !== b.promiseDue) return a.promiseDue ? -1 : 1;
    if (a.dpd !== b.dpd) return b.dpd - a.dpd;
    if (a.balanceMinor !== b.balanceMinor) return a.balanceMinor > b.balanceMinor ? -1 : 1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}

export interface Assignment {
  taskId: string;
  agentId: string;
}

export interface AssignmentResult {
  assignments: Assignment[];
  /** Tasks no eligible agent could take, with why. */
  unassigned: Array<{ taskId: string; reason: 'no-certified-agent' | 'no-matching-agent' | 'no-capacity' }>;
}

/**
 * Assigns ordered tasks to agents: the agent must speak the borrower's language, cover the
 * jurisdiction and region, hold a current certification for the jurisdiction and calls
 * (`checkCollectorMayContact`) and have capacity left; among eligible agents the least loaded wins.
 * Uncertified agents receive nothing.
 *
 * @example assignTasks(orderCallTasks(tasks), agents, certifications, Date.parse('2026-03-10T02:00:00Z')).assignments
 */
export function assignTasks(tasks: readonly CallTask[], agents: readonly Agent[], certifications: readonly CollectorCertification[], atMs: number): AssignmentResult {
  const load = new Map<string, number>(agents.map((agent) => [agent.id, 0]));
  const result: AssignmentResult = { assignments: [], unassigned: [] };
  for (const task of tasks) {
    const matching = agents.filter((agent) => agent.languages.includes(task.language) && agent.jurisdictions.includes(task.jurisdiction) && agent.regions.includes(task.region));
    const certified = matching.filter(
      (agent) => checkCollectorMayContact({ collectorId: agent.id, jurisdiction: task.jurisdiction, channel: 'call', atMs, certifications }).allowed,
    );
    const available = certified.filter((agent) => load.get(agent.id)! < agent.capacity);
    if (available.length === 0) {
      result.unassigned.push({ taskId: task.id, reason: matching.length === 0 ? 'no-matching-agent' : certified.length === 0 ? 'no-certified-agent' : 'no-capacity' });
      continue;
    }
    available.sort((a, b) => load.get(a.id)! - load.get(b.id)! || (a.id < b.id ? -1 : 1));
    const chosen = available[0]!;
    load.set(chosen.id, load.get(chosen.id)! + 1);
    result.assignments.push({ taskId: task.id, agentId: chosen.id });
  }
  return result;
}
