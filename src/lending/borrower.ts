import { parseBusinessDate, type BusinessDate } from '../shared/business-date.ts';
import { validationError } from '../shared/errors.ts';
import { readArray, readEnum, readObject, readOptionalString, readString } from '../shared/input.ts';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const JURISDICTIONS = ['CN', 'US', 'US-MA', 'UK'] as const;
export type Jurisdiction = (typeof JURISDICTIONS)[number];
export const CONTACT_CHANNELS = ['sms', 'call', 'email', 'letter'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];
export const PHONE_KINDS = ['mobile', 'home', 'work'] as const;

export interface Phone { number: string; kind: (typeof PHONE_KINDS)[number] }
export interface Email { address: string; kind: 'personal' | 'work' }
export interface Address { line1: string; line2: string | null; city: string; region: string | null; postalCode: string | null; country: string; timeZone: string | null }

/** A borrower's identity and contact details: personal data, masked unless the role may see it. */
export interface Borrower {
  fullName: string;
  nationalId: string | null;
  dateOfBirth: BusinessDate | null;
  phones: Phone[];
  emails: Email[];
  addresses: Address[];
  /** The IANA time zone contact rules are judged in; null when unknown (the gate then checks every candidate). */
  timeZone: string | null;
  language: Language;
  jurisdiction: Jurisdiction;
  preferredChannels: ContactChannel[];
}

const MAX_CONTACTS = 10;

/** True for a time zone the platform knows (IANA names such as "Asia/Shanghai"). */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return value.includes('/') || value === 'UTC';
  } catch {
    return false;
  }
}

function readTimeZone(value: unknown, field: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !isTimeZone(value)) throw validationError(field, `"${String(value)}" is not an IANA time zone such as "Asia/Shanghai"`);
  return value;
}

/**
 * Parses a borrower (API JSON); each error names its field.
 *
 * @example parseBorrower({ fullName: '王伟', jurisdiction: 'CN', language: 'zh-CN', timeZone: 'Asia/Shanghai', phones: [{ number: '+8613800000000', kind: 'mobile' }] })
 */
export function parseBorrower(json: unknown): Borrower {
  const object = readObject(json, '', ['fullName', 'nationalId', 'dateOfBirth', 'phones', 'emails', 'addresses', 'timeZone', 'language', 'jurisdiction', 'preferredChannels']);
  const fullName = readString(object, 'fullName', '');
  if (fullName.length > 200) throw validationError('fullName', 'must be at most 200 characters');
  const phones = readArray(object, 'phones', '', []).map((item, index) => {
    const path = `phones.${index}`;
    const phone = readObject(item, path, ['number', 'kind']);
    const number = readString(phone, 'number', path);
    if (!/^\+?[0-9 ()-]{5,20}$/.test(number)) throw validationError(`${path}.number`, 'is not a phone number');
    return { number, kind: readEnum(phone, 'kind', path, PHONE_KINDS, 'mobile') };
  });
  const emails = readArray(object, 'emails', '', []).map((item, index) => {
    const path = `emails.${index}`;
    const email = readObject(item, path, ['address', 'kind']);
    const address = readString(email, 'address', path);
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(address)) throw validationError(`${path}.address`, 'is not an e-mail address');
    return { address, kind: readEnum(email, 'kind', path, ['personal', 'work'] as const, 'personal') };
  });
  const addresses = readArray(object, 'addresses', '', []).map((item, index) => {
    const path = `addresses.${index}`;
    const address = readObject(item, path, ['line1', 'line2', 'city', 'region', 'postalCode', 'country', 'timeZone']);
    return {
      line1: readString(address, 'line1', path),
      line2: readOptionalString(address, 'line2', path),
      city: readString(address, 'city', path),
      region: readOptionalString(address, 'region', path),
      postalCode: readOptionalString(address, 'postalCode', path),
      country: readString(address, 'country', path),
      timeZone: readTimeZone(address.timeZone, `${path}.timeZone`),
    };
  });
  for (const [name, list] of [['phones', phones], ['emails', emails], ['addresses', addresses]] as const) {
    if (list.length > MAX_CONTACTS) throw validationError(name, `at most ${MAX_CONTACTS} entries`);
  }
  const preferred = readArray(object, 'preferredChannels', '', ['sms', 'call']).map((channel, index) => {
    if (typeof channel !== 'string' || !(CONTACT_CHANNELS as readonly string[]).includes(channel)) {
      throw validationError(`preferredChannels.${index}`, `must be one of ${CONTACT_CHANNELS.join(', ')}`);
    }
    return channel as ContactChannel;
  });
  const dateOfBirth = object.dateOfBirth === undefined || object.dateOfBirth === null ? null : parseBusinessDate(object.dateOfBirth, 'dateOfBirth');
  return {
    fullName,
    nationalId: readOptionalString(object, 'nationalId', ''),
    dateOfBirth,
    phones,
    emails,
    addresses,
    timeZone: readTimeZone(object.timeZone, 'timeZone') ?? addresses.find((address) => address.timeZone)?.timeZone ?? null,
    language: readEnum(object, 'language', '', LANGUAGES, 'en'),
    jurisdiction: readEnum(object, 'jurisdiction', '', JURISDICTIONS),
    preferredChannels: [...new Set(preferred)],
  };
}

/** Keeps the first and last characters that identify a value to its owner, hides the rest. */
export function maskText(value: string, keepStart: number, keepEnd: number): string {
  const characters = [...value];
  if (characters.length <= keepStart + keepEnd) return '*'.repeat(characters.length);
  return characters.slice(0, keepStart).join('') + '*'.repeat(characters.length - keepStart - keepEnd) + characters.slice(characters.length - keepEnd).join('');
}

/** The borrower with personal data masked: the view for roles without `borrowers:read-unmasked`. */
export function maskBorrower(borrower: Borrower): Borrower {
  return {
    ...borrower,
    fullName: maskText(borrower.fullName, 1, 0),
    nationalId: borrower.nationalId === null ? null : maskText(borrower.nationalId, 0, 4),
    dateOfBirth: null,
    phones: borrower.phones.map((phone) => ({ ...phone, number: maskText(phone.number, 3, 2) })),
    emails: borrower.emails.map((email) => {
      const [local = '', domain = ''] = email.address.split('@');
      return { ...email, address: `${maskText(local, 1, 0)}@${domain}` };
    }),
    addresses: borrower.addresses.map((address) => ({ ...address, line1: maskText(address.line1, 0, 0), line2: null, postalCode: null })),
  };
}

export const MASKED_FIELDS = ['fullName', 'nationalId', 'dateOfBirth', 'phones', 'emails', 'addresses'] as const;
