import { findPolicyPack } from './evaluate-contact.ts';
import { MILLISECONDS_PER_DAY } from './local-time.ts';
import type { Channel, PackId } from './policy-pack.ts';

/**
 * Checks on people rather than on attempts: a collector needs a current certification for the case's
 * jurisdiction and the channel (CN-12), and an outsourced agency needs a current yearly evaluation
 * before cases are assigned to it (CN-11).
 */
export type CollectorCheckCode = 'COLLECTOR_NOT_CERTIFIED' | 'AGENCY_EVALUATION_LAPSED';

export interface CollectorCheckReason {
  code: CollectorCheckCode;
  rule: string;
  message: string;
}

export interface CollectorCheckResult {
  allowed: boolean;
  reasons: CollectorCheckReason[];
}

export interface CollectorCertification {
  collectorId: string;
  /** The pack the certification covers: a US-MA case needs a US-MA certification. */
  jurisdiction: PackId;
  channels: readonly Channel[];
  /** When training and examination were passed. */
  issuedAtMs: number;
  /** When the certification ends; null = no stated end (the pack's maximum age still applies). */
  expiresAtMs: number | null;
  revoked: boolean;
}

export interface AgencyEvaluation {
  agencyId: string;
  evaluatedAtMs: number;
  passed: boolean;
}

/**
 * Whether a collector may make a contact on a case in `jurisdiction` by `channel` at `atMs`.
 *
 * @example
 * checkCollectorMayContact({ collectorId: 'c1', jurisdiction: 'CN', channel: 'call', atMs, certifications })
 * // { allowed: true, reasons: [] } when a current CN certification covers calls
 */
export function checkCollectorMayContact(input: {
  collectorId: string;
  jurisdiction: PackId;
  channel: Channel;
  atMs: number;
  certifications: readonly CollectorCertification[];
}): CollectorCheckResult {
  const pack = findPolicyPack(input.jurisdiction)!;
  const maximumAgeDays = pack.collectorCertification.maximumAgeDays;
  for (const certification of input.certifications) {
    if (certification.collectorId !== input.collectorId || certification.revoked) continue;
    if (certification.jurisdiction !== input.jurisdiction || !certification.channels.includes(input.channel)) continue;
    if (certification.issuedAtMs > input.atMs) continue;
    if (certification.expiresAtMs !== null && input.atMs >= certification.expiresAtMs) continue;
    // Yearly retraining (CN-12): an older certificate is no longer current whatever its stated end.
    if (maximumAgeDays !== null && input.atMs >= certification.issuedAtMs + maximumAgeDays * MILLISECONDS_PER_DAY) continue;
    return { allowed: true, reasons: [] };
  }
  return {
    allowed: false,
    reasons: [
      {
        code: 'COLLECTOR_NOT_CERTIFIED',
        rule: pack.collectorCertification.rule,
        message: `Collector "${input.collectorId}" has no current certification for ${input.jurisdiction} covering ${input.channel} contact${maximumAgeDays !== null ? ` (certifications are renewed at least every ${maximumAgeDays} days)` : ''}.`,
      },
    ],
  };
}

/**
 * Whether cases in `jurisdiction` may be assigned to an outsourced agency at `atMs`: where the pack
 * requires yearly evaluation (CN-11), the latest evaluation must have passed within that period.
 *
 * @example checkAgencyAssignable({ agencyId: 'agy_1', jurisdiction: 'CN', atMs, evaluations: [] }) // { allowed: false, … }
 */
export function checkAgencyAssignable(input: {
  agencyId: string;
  jurisdiction: PackId;
  atMs: number;
  evaluations: readonly AgencyEvaluation[];
}): CollectorCheckResult {
  const rule = findPolicyPack(input.jurisdiction)!.agencyEvaluation;
  if (rule === null) return { allowed: true, reasons: [] };
  let latest: AgencyEvaluation | null = null;
  for (const evaluation of input.evaluations) {
    if (evaluation.agencyId !== input.agencyId || evaluation.evaluatedAtMs > input.atMs) continue;
    if (latest === null || evaluation.evaluatedAtMs > latest.evaluatedAtMs) latest = evaluation;
  }
  const current = latest !== null && latest.passed && input.atMs < latest.evaluatedAtMs + rule.maximumAgeDays * MILLISECONDS_PER_DAY;
  if (current) return { allowed: true, reasons: [] };
  const detail = latest === null ? 'has never been evaluated' : !latest.passed ? 'failed its latest evaluation' : `was last evaluated more than ${rule.maximumAgeDays} days ago`;
  return {
    allowed: false,
    reasons: [{ code: 'AGENCY_EVALUATION_LAPSED', rule: rule.rule, message: `Agency "${input.agencyId}" ${detail}: no case may be assigned to it until it passes an evaluation.` }],
  };
}
