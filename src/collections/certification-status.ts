import { addDays, type BusinessDate } from '../shared/business-date.ts';

/** How close a training record is to lapsing, as the compliance console flags it. */
export type CertificationStatus = 'valid' | 'expiring' | 'expired' | 'revoked';

/** A record that lapses within this many days is flagged so the collector can retrain in time. */
export const EXPIRY_WARNING_DAYS = 30;

/**
 * Revoked wins; a record past its expiry date is expired (it certifies through `expiresOn`
 * inclusive); one that lapses within 30 days is expiring; without an expiry date it stays valid.
 *
 * @example certificationStatus({ expiresOn: '2026-04-05', revoked: false }, '2026-03-10') // 'expiring'
 */
export function certificationStatus(record: { expiresOn: string | null; revoked: boolean }, today: BusinessDate): CertificationStatus {
  if (record.revoked) return 'revoked';
  if (record.expiresOn === null) return 'valid';
  if (record.expiresOn < today) return 'expired';
  if (record.expiresOn <= addDays(today, EXPIRY_WARNING_DAYS)) return 'expiring';
  return 'valid';
}
