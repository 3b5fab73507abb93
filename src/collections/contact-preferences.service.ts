import type { Executor } from '../db/transaction.ts';
import type { Clock } from '../shared/clock.ts';
import { LenityError } from '../shared/errors.ts';
import type { IdGenerator } from '../shared/ids.ts';
import { type ContactPreferences, flagsFromPreferences, parseContactPreferences, preferencesFromFlags, type StoredContactFlags } from './contact-preferences.ts';

/** Who makes a change: the API key and its role (a borrower for themself, or staff). */
export interface RequestActor {
  keyId: string;
  role: string;
}

/** Changes kept per borrower in one answer; older ones stay stored. */
const HISTORY_LIMIT = 100;

async function storedFlags(db: Executor, borrowerId: string): Promise<StoredContactFlags | null> {
  const row = await db.selectFrom('borrower_contact_flags').selectAll().where('borrower_id', '=', borrowerId).executeTakeFirst();
  return row ? { flags: row.flags, optOuts: row.opt_outs, inconvenient: row.inconvenient, preferredLanguage: row.preferred_language } : null;
}

async function assertBorrowerExists(db: Executor, borrowerId: string) {
  const borrower = await db.selectFrom('borrower').select(['id', 'time_zone', 'language']).where('id', '=', borrowerId).executeTakeFirst();
  if (!borrower) throw new LenityError('NOT_FOUND', `Borrower ${borrowerId} does not exist`);
  return borrower;
}

/**
 * A borrower's contact preferences, with the zone their inconvenient times are read in and the
 * latest changes (who, when, before, after).
 *
 * @example (await getContactPreferences(db, 'brw_1')).preferences.optOuts // ['sms']
 */
export async function getContactPreferences(db: Executor, borrowerId: string) {
  const borrower = await assertBorrowerExists(db, borrowerId);
  const preferences = preferencesFromFlags(await storedFlags(db, borrowerId));
  const changes = await db.selectFrom('contact_preference_change').selectAll().where('borrower_id', '=', borrowerId)
    .orderBy('changed_at', 'desc').orderBy('id', 'desc').limit(HISTORY_LIMIT).execute();
  return {
    borrowerId,
    timeZone: borrower.time_zone,
    ...preferences,
    changes: changes.map((change) => ({
      id: change.id, changedBy: change.changed_by, changedByRole: change.changed_by_role, changedAt: change.changed_at.toISOString(),
      before: parseJson(change.before), after: parseJson(change.after),
    })),
  };
}

function parseJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

/**
 * Replaces a borrower's contact preferences (in the caller's transaction) and records the change.
 * The gate honours them from the next evaluation on, and the dispatcher re-reads them before it
 * sends a message queued earlier. A preferred language also becomes the borrower's language, which
 * is what templates are chosen by.
 *
 * @example await setContactPreferences({ db, ids, clock }, { keyId: 'key_1', role: 'borrower' }, 'brw_1', { optOuts: ['sms'], inconvenient: [], preferredLanguage: null, ceaseContact: false })
 */
export async function setContactPreferences(dependencies: { db: Executor; ids: IdGenerator; clock: Clock }, actor: RequestActor, borrowerId: string, json: unknown) {
  const { db, ids, clock } = dependencies;
  const preferences: ContactPreferences = parseContactPreferences(json);
  await assertBorrowerExists(db, borrowerId);
  // Lock the row (when there is one) so that two changes at once each see the other's result.
  const existing = await db.selectFrom('borrower_contact_flags').selectAll().where('borrower_id', '=', borrowerId).forUpdate().executeTakeFirst();
  const before: StoredContactFlags | null = existing
    ? { flags: existing.flags, optOuts: existing.opt_outs, inconvenient: existing.inconvenient, preferredLanguage: existing.preferred_language }
    : null;
  const after = flagsFromPreferences(before, preferences);
  const now = clock.now();
  const values = {
    flags: JSON.stringify(after.flags), opt_outs: JSON.stringify(after.optOuts), inconvenient: JSON.stringify(after.inconvenient),
    preferred_language: after.preferredLanguage, updated_at: now,
  };
  await db.insertInto('borrower_contact_flags').values({ borrower_id: borrowerId, ...values })
    .onConflict((conflict) => conflict.column('borrower_id').doUpdateSet(values)).execute();
  if (after.preferredLanguage !== null) await db.updateTable('borrower').set({ language: after.preferredLanguage }).where('id', '=', borrowerId).execute();
  await db.insertInto('contact_preference_change').values({
    id: ids('pref'), borrower_id: borrowerId, changed_by: actor.keyId, changed_by_role: actor.role, changed_at: now,
    before: JSON.stringify(preferencesFromFlags(before)), after: JSON.stringify(preferences),
  }).execute();
  return { status: 200, body: await getContactPreferences(db, borrowerId) };
}
