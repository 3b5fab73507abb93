import type { Selectable } from 'kysely';
import type { Executor } from '../db/transaction.ts';
import type { BusinessDate } from '../shared/business-date.ts';
import type { Clock } from '../shared/clock.ts';
import { LenityError } from '../shared/errors.ts';
import type { IdGenerator } from '../shared/ids.ts';
import { type Borrower, MASKED_FIELDS, maskBorrower, parseBorrower } from './borrower.ts';
import type { LendingTables } from './lending.tables.ts';

export async function createBorrower(db: Executor, ids: IdGenerator, json: unknown) {
  const borrower = parseBorrower(json);
  const id = ids('brw');
  await db
    .insertInto('borrower')
    .values({
      id,
      full_name: borrower.fullName,
      national_id: borrower.nationalId,
      date_of_birth: borrower.dateOfBirth,
      phones: JSON.stringify(borrower.phones),
      emails: JSON.stringify(borrower.emails),
      addresses: JSON.stringify(borrower.addresses),
      time_zone: borrower.timeZone,
      language: borrower.language,
      jurisdiction: borrower.jurisdiction,
      preferred_channels: JSON.stringify(borrower.preferredChannels),
    })
    .execute();
  return { id, ...maskBorrower(borrower) };
}

function borrowerFromRow(row: Selectable<LendingTables['borrower']>): Borrower {
  return {
    fullName: row.full_name,
    nationalId: row.national_id,
    dateOfBirth: row.date_of_birth as BusinessDate | null,
    phones: row.phones as Borrower['phones'],
    emails: row.emails as Borrower['emails'],
    addresses: row.addresses as Borrower['addresses'],
    timeZone: row.time_zone,
    language: row.language as Borrower['language'],
    jurisdiction: row.jurisdiction as Borrower['jurisdiction'],
    preferredChannels: row.preferred_channels as Borrower['preferredChannels'],
  };
}

export interface BorrowerViewer {
  keyId: string;
  role: string;
  /** True when the viewer's role may see personal data unmasked. */
  mayUnmask: boolean;
}

/**
 * A borrower as the viewer may see them: masked by default; unmasked only for a role with the
 * permission, with a stated reason, and every unmasked view is recorded.
 */
export async function getBorrower(
  db: Executor,
  clock: Clock,
  borrowerId: string,
  viewer: BorrowerViewer,
  options: { unmask?: boolean; reason?: string | null } = {},
) {
  const row = await db.selectFrom('borrower').selectAll().where('id', '=', borrowerId).executeTakeFirst();
  if (!row) throw new LenityError('NOT_FOUND', `Borrower ${borrowerId} does not exist`);
  const borrower = borrowerFromRow(row);
  const isSelf = viewer.role === 'borrower';
  if (!options.unmask || isSelf) return { id: row.id, masked: !isSelf, ...(isSelf ? borrower : maskBorrower(borrower)) };
  if (!viewer.mayUnmask) throw new LenityError('FORBIDDEN', 'Your role may not see personal data unmasked');
  const reason = options.reason?.trim();
  if (!reason || reason.length < 5) throw new LenityError('VALIDATION_FAILED', 'reason: state why you need to see the personal data (at least 5 characters)', { field: 'reason' });
  await db
    .insertInto('personal_data_access')
    .values({ borrower_id: borrowerId, key_id: viewer.keyId, role: viewer.role, reason, fields: JSON.stringify(MASKED_FIELDS), at: clock.now() })
    .execute();
  return { id: row.id, masked: false, ...borrower };
}

export async function listPersonalDataAccess(db: Executor, borrowerId: string) {
  const rows = await db.selectFrom('personal_data_access').selectAll().where('borrower_id', '=', borrowerId).orderBy('id').execute();
  return rows.map((row) => ({ borrowerId: row.borrower_id, keyId: row.key_id, role: row.role, reason: row.reason, fields: row.fields, at: row.at.toISOString() }));
}
