import { checkCollectorMayContact, type CollectorCertification } from '../compliance/collector-check.ts';
import type { PackId } from '../compliance/policy-pack.ts';
import type { MessageLanguage } from './channels/message-channel.ts';

/**
 * Automatic case assignment (pure: the roster, the open-case counts, the certifications and the
 * instant are facts passed in). Each unassigned case goes to the eligible collector holding the
 * fewest open cases; eligible means active, speaks the borrower's language, covers the
 * jurisdiction, holds a current certification for calls there, is under capacity and, when the case
 * has a field visit in progress, works the borrower's region. Ties go to the smaller agent id, so the
 * same facts always give the same assignment.
 */
export interface UnassignedCase {
  caseId: string;
  language: MessageLanguage;
  jurisdiction: PackId;
  /** The borrower's region (state, province) or city; null when unknown. */
  region: string | null;
  /** A field visit is requested or approved: only a collector of the region can take it. */
  fieldVisit: boolean;
  dpd: number;
}

export interface RosterEntry {
  agentId: string;
  languages: readonly MessageLanguage[];
  jurisdictions: readonly PackId[];
  region: string | null;
  /** The most open cases the collector holds at once. */
  capacity: number;
  active: boolean;
  /** Open cases the collector holds now. */
  openCases: number;
}

export type UnassignedReason = 'no-matching-collector' | 'no-certified-collector' | 'no-capacity';

export interface CaseAssignmentResult {
  assignments: Array<{ caseId: string; agentId: string }>;
  unassigned: Array<{ caseId: string; reason: UnassignedReason }>;
}

export const MAXIMUM_CASES_PER_ASSIGNMENT = 20_000;

const sameRegion = (a: string | null, b: string | null) => a !== null && b !== null && a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * Assigns cases, most days past due first (then case id), each to the least loaded eligible collector.
 *
 * @example assignCases([{ caseId: 'case_1', language: 'zh-CN', jurisdiction: 'CN', region: null, fieldVisit: false, dpd: 3 }], roster, certifications, Date.parse('2026-03-10T02:00:00Z')).assignments // [{ caseId: 'case_1', agentId: 'key_a' }]
 */
export function assignCases(cases: readonly UnassignedCase[], roster: readonly RosterEntry[], certifications: readonly CollectorCertification[], atMs: number): CaseAssignmentResult {
  if (cases.length > MAXIMUM_CASES_PER_ASSIGNMENT) throw new RangeError(`At most ${MAXIMUM_CASES_PER_ASSIGNMENT} cases are assigned at once.`);
  const load = new Map(roster.map((entry) => [entry.agentId, entry.openCases]));
  const certified = new Map<string, boolean>();
  const isCertified = (agentId: string, jurisdiction: PackId) => {
    const key = `${agentId}\u0000${jurisdiction}`;
    if (!certified.has(key)) certified.set(key, checkCollectorMayContact({ collectorId: agentId, jurisdiction, channel: 'call', atMs, certifications }).allowed);
    return certified.get(key)!;
  };
  const ordered = [...cases].sort((a, b) => b.dpd - a.dpd || (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0));
  const result: CaseAssignmentResult = { assignments: [], unassigned: [] };
  for (const item of ordered) {
    const matching = roster.filter((entry) => entry.active && entry.languages.includes(item.language) && entry.jurisdictions.includes(item.jurisdiction)
      && (!item.fieldVisit || sameRegion(entry.region, item.region)));
    const withCertificate = matching.filter((entry) => isCertified(entry.agentId, item.jurisdiction));
    const available = withCertificate.filter((entry) => load.get(entry.agentId)! < entry.capacity);
    if (available.length === 0) {
      result.unassigned.push({ caseId: item.caseId, reason: matching.length === 0 ? 'no-matching-collector' : withCertificate.length === 0 ? 'no-certified-collector' : 'no-capacity' });
      continue;
    }
    available.sort((a, b) => load.get(a.agentId)! - load.get(b.agentId)! || (a.agentId < b.agentId ? -1 : 1));
    const chosen = available[0]!;
    load.set(chosen.agentId, load.get(chosen.agentId)! + 1);
    result.assignments.push({ caseId: item.caseId, agentId: chosen.agentId });
  }
  return result;
}
