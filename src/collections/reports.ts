import { addDays, type BusinessDate } from '../shared/business-date.ts';
import { ratio } from './effectiveness.ts';

/**
 * Pure rules of the supervisors' reports: roll rates from counted bucket moves, cure and promise
 * rates, and a collector's certification status from their training records. Facts in, figures out.
 */

export interface BucketMove { month: string; fromBucket: string; toBucket: string; loans: number }

/**
 * Roll rates: of the loans that left a bucket in a month, the share that went to each other bucket
 * (4 decimals, rounded down). Rows keep their order.
 *
 * @example rollRates([{ month: '2026-03', fromBucket: 'R1', toBucket: 'R2', loans: 3 }, { month: '2026-03', fromBucket: 'R1', toBucket: 'current', loans: 1 }])[0].share // "0.7500"
 */
export function rollRates(moves: readonly BucketMove[]): Array<BucketMove & { leftBucket: number; share: string | null }> {
  const leaving = new Map<string, number>();
  for (const move of moves) leaving.set(`${move.month}|${move.fromBucket}`, (leaving.get(`${move.month}|${move.fromBucket}`) ?? 0) + move.loans);
  return moves.map((move) => {
    const leftBucket = leaving.get(`${move.month}|${move.fromBucket}`) ?? 0;
    return { ...move, leftBucket, share: ratio(move.loans, leftBucket) };
  });
}

/**
 * Cure rate of a month's cohort: loans cured ÷ loans that became delinquent that month.
 *
 * @example cureRate({ delinquent: 8, cured: 2 }) // "0.2500"
 */
export function cureRate(cohort: { delinquent: number; cured: number }): string | null {
  return ratio(cohort.cured, cohort.delinquent);
}

/**
 * Promise kept rate: kept ÷ judged (kept, partly kept, broken); pending promises are not judged yet.
 *
 * @example promiseKeptRate({ kept: 3, partlyKept: 1, broken: 4, pending: 2 }) // "0.3750"
 */
export function promiseKeptRate(outcomes: { kept: number; partlyKept: number; broken: number }): string | null {
  return ratio(outcomes.kept, outcomes.kept + outcomes.partlyKept + outcomes.broken);
}

export const CERTIFICATION_STATUSES = ['certified', 'expiring', 'expired', 'uncertified'] as const;
export type CertificationStatus = (typeof CERTIFICATION_STATUSES)[number];

/** A certification this close to its end is flagged so that training is booked in time. */
export const EXPIRING_WITHIN_DAYS = 30;

export interface TrainingFact { jurisdiction: string; channels: readonly string[]; passedOn: string; expiresOn: string | null; revoked: boolean }

/**
 * Where a collector stands on `businessDate`: `certified` while an unrevoked record is in force,
 * `expiring` when every record in force ends within 30 days, `expired` when records exist but none
 * is in force, `uncertified` without any unrevoked record. Also the jurisdictions and channels in force
 * and the soonest end among them.
 *
 * @example certificationOf([{ jurisdiction: 'CN', channels: ['call'], passedOn: '2026-01-02', expiresOn: '2026-03-20', revoked: false }], '2026-03-01').status // "expiring"
 */
export function certificationOf(records: readonly TrainingFact[], businessDate: BusinessDate) {
  const unrevoked = records.filter((record) => !record.revoked);
  const inForce = unrevoked.filter((record) => record.passedOn <= businessDate && (record.expiresOn === null || record.expiresOn > businessDate));
  const jurisdictions = [...new Set(inForce.map((record) => record.jurisdiction))].sort();
  const channels = [...new Set(inForce.flatMap((record) => record.channels))].sort();
  // The latest end among records in force: the collector is certified until then.
  const ends = inForce.map((record) => record.expiresOn);
  const certifiedUntil = ends.length === 0 || ends.includes(null) ? null : ends.reduce((latest, end) => (end! > latest! ? end : latest));
  let status: CertificationStatus;
  if (inForce.length > 0) status = certifiedUntil !== null && certifiedUntil <= addDays(businessDate, EXPIRING_WITHIN_DAYS) ? 'expiring' : 'certified';
  else status = unrevoked.length > 0 ? 'expired' : 'uncertified';
  return { status, jurisdictions, channels, certifiedUntil };
}
