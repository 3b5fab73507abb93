import { parseContactRequest } from '../compliance/contact-request.ts';
import { type Channel, CHANNELS } from '../compliance/policy-pack.ts';
import { LANGUAGES, type Language } from '../lending/borrower.ts';
import { LenityError, validationError } from '../shared/errors.ts';
import { readArray, readBoolean, readObject } from '../shared/input.ts';

/**
 * What a borrower told us about being contacted, in the API's form. The gate reads it from
 * `borrower_contact_flags`: opted-out channels, inconvenient times in the borrower's own zone, and a
 * request to stop all contact (the `cease` flag). The language is the one messages are written in.
 */
export interface ContactPreferences {
  optOuts: Channel[];
  /** Contract form: [{ weekdays?: ["mon".."sun"], from?: "HH:MM", to?: "HH:MM" }], in the borrower's zone. */
  inconvenient: InconvenientTime[];
  preferredLanguage: Language | null;
  ceaseContact: boolean;
}

export interface InconvenientTime {
  weekdays?: string[];
  from?: string;
  to?: string;
}

/** Bounded so that the gate's work per attempt stays small. */
export const MAXIMUM_INCONVENIENT_TIMES = 20;

/** The stored row, as `borrower_contact_flags` holds it. */
export interface StoredContactFlags {
  flags: readonly string[];
  optOuts: readonly string[];
  inconvenient: readonly unknown[];
  preferredLanguage: string | null;
}

/**
 * Reads a preferences body: every field is required, so that a PUT states the whole of what the
 * borrower wants. Inconvenient times are checked by the contact gate's own contract parser, so a
 * stored time is always one the gate accepts.
 *
 * @example parseContactPreferences({ optOuts: ['sms'], inconvenient: [{ from: '21:00', to: '08:00' }], preferredLanguage: 'en', ceaseContact: false })
 */
export function parseContactPreferences(json: unknown): ContactPreferences {
  const body = readObject(json, '(root)', ['optOuts', 'inconvenient', 'preferredLanguage', 'ceaseContact']);
  const optOuts = readArray(body, 'optOuts', '(root)').map((item, index) => {
    if (typeof item !== 'string' || !(CHANNELS as readonly string[]).includes(item)) throw validationError(`optOuts.${index}`, `must be one of ${CHANNELS.join(', ')}`);
    return item as Channel;
  });
  const inconvenient = readArray(body, 'inconvenient', '(root)');
  if (inconvenient.length > MAXIMUM_INCONVENIENT_TIMES) throw validationError('inconvenient', `must hold at most ${MAXIMUM_INCONVENIENT_TIMES} times`);
  try {
    parseContactRequest({ policy: 'CN', at: '2026-01-01T00:00:00Z', borrower: { inconvenient }, attempt: { channel: 'sms', debtId: 'preferences' } });
  } catch (error) {
    if (error instanceof LenityError && error.field?.startsWith('borrower.')) {
      const field = error.field.slice('borrower.'.length);
      throw new LenityError(error.code, error.message.replace(error.field, field), { ...error.details, field });
    }
    throw error;
  }
  const language = body.preferredLanguage;
  if (language !== null && (typeof language !== 'string' || !(LANGUAGES as readonly string[]).includes(language))) {
    throw validationError('preferredLanguage', `must be null or one of ${LANGUAGES.join(', ')}`);
  }
  return {
    optOuts: [...new Set(optOuts)],
    inconvenient: inconvenient as InconvenientTime[],
    preferredLanguage: (language ?? null) as Language | null,
    ceaseContact: readBoolean(body, 'ceaseContact', '(root)'),
  };
}

/**
 * The preferences a stored row means (a borrower without a row has none).
 *
 * @example preferencesFromFlags({ flags: ['cease'], optOuts: [], inconvenient: [], preferredLanguage: null }).ceaseContact // true
 */
export function preferencesFromFlags(stored: StoredContactFlags | null): ContactPreferences {
  return {
    optOuts: (stored?.optOuts ?? []) as Channel[],
    inconvenient: (stored?.inconvenient ?? []) as InconvenientTime[],
    preferredLanguage: (stored?.preferredLanguage ?? null) as Language | null,
    ceaseContact: stored?.flags.includes('cease') ?? false,
  };
}

/**
 * The row to store: the preferences replace opt-outs, times and language; `cease` is added or
 * removed; every other flag (attorney, bankruptcy, dispute…) was set by someone else for a reason
 * and is kept as it was.
 *
 * @example flagsFromPreferences({ flags: ['attorney'], optOuts: [], inconvenient: [], preferredLanguage: null }, preferences).flags // ['attorney', 'cease']
 */
export function flagsFromPreferences(stored: StoredContactFlags | null, preferences: ContactPreferences): StoredContactFlags {
  const others = (stored?.flags ?? []).filter((flag) => flag !== 'cease');
  return {
    flags: preferences.ceaseContact ? [...others, 'cease'] : others,
    optOuts: preferences.optOuts,
    inconvenient: preferences.inconvenient,
    preferredLanguage: preferences.preferredLanguage,
  };
}
