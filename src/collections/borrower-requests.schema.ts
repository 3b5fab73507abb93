import { CHANNELS } from '../compliance/policy-pack.ts';
import { DISPUTE_OUTCOMES, DISPUTE_REASONS } from './dispute.service.ts';

/** OpenAPI schemas of the borrower's requests on collections: contact preferences and disputes. */

const INCONVENIENT_TIME = {
  type: 'object',
  description: 'A time the borrower finds inconvenient, in their own time zone: whole weekdays, a daily range [from, to), or a range on given weekdays. A range whose end is before its start runs across midnight.',
  properties: {
    weekdays: { type: 'array', items: { type: 'string', enum: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] }, minItems: 1 },
    from: { type: 'string', pattern: '^[0-2][0-9]:[0-5][0-9]$', description: 'Local time HH:MM' },
    to: { type: 'string', pattern: '^[0-2][0-9]:[0-5][0-9]$', description: 'Local time HH:MM (up to 24:00), exclusive' },
  },
  additionalProperties: false,
} as const;

const PREFERENCE_FIELDS = {
  optOuts: { type: 'array', items: { type: 'string', enum: [...CHANNELS] }, description: 'Channels the borrower asked us not to use' },
  inconvenient: { type: 'array', items: INCONVENIENT_TIME, maxItems: 20 },
  preferredLanguage: { type: ['string', 'null'], enum: ['zh-CN', 'en', null], description: 'The language messages are written in; null keeps the borrower record\'s' },
  ceaseContact: { type: 'boolean', description: 'Stop all collection contact (the gate refuses every attempt with CEASE_COMMUNICATION)' },
} as const;

export const CONTACT_PREFERENCES_BODY = {
  type: 'object',
  description: 'The whole of what the borrower wants (a PUT replaces it)',
  properties: PREFERENCE_FIELDS,
  required: ['optOuts', 'inconvenient', 'preferredLanguage', 'ceaseContact'],
  additionalProperties: false,
} as const;

export const CONTACT_PREFERENCES = {
  type: 'object',
  properties: {
    borrowerId: { type: 'string' },
    timeZone: { type: ['string', 'null'], description: 'The IANA zone inconvenient times are read in; null: the policy pack\'s default zones' },
    ...PREFERENCE_FIELDS,
    changes: {
      type: 'array',
      description: 'The latest changes, newest first: who made them, when, and the preferences before and after',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' }, changedBy: { type: 'string' }, changedByRole: { type: 'string' }, changedAt: { type: 'string', format: 'date-time' },
          before: { type: 'object', additionalProperties: true }, after: { type: 'object', additionalProperties: true },
        },
      },
    },
  },
} as const;

export const DISPUTE_BODY = {
  type: 'object',
  properties: {
    reason: { type: 'string', enum: [...DISPUTE_REASONS] },
    text: { type: 'string', minLength: 1, maxLength: 4000, description: 'The borrower\'s own words' },
  },
  required: ['reason', 'text'],
  additionalProperties: false,
} as const;

export const DISPUTE_RESOLUTION_BODY = {
  type: 'object',
  properties: {
    outcome: { type: 'string', enum: [...DISPUTE_OUTCOMES] },
    resolution: { type: 'string', minLength: 1, maxLength: 4000, description: 'What was found, told to the borrower' },
    waiveChargeIds: { type: 'array', items: { type: 'string' }, maxItems: 50, description: 'Upheld only: the loan\'s fees or penalties to waive' },
  },
  required: ['outcome', 'resolution'],
  additionalProperties: false,
} as const;

export const DISPUTE = {
  type: 'object',
  properties: {
    id: { type: 'string' }, borrowerId: { type: 'string' }, loanId: { type: 'string' }, caseId: { type: ['string', 'null'] },
    reason: { type: 'string', enum: [...DISPUTE_REASONS] }, text: { type: 'string' }, status: { type: 'string', enum: ['open', 'upheld', 'rejected'] },
    raisedBy: { type: 'string' }, raisedOn: { type: 'string', format: 'date' }, ageingPaused: { type: 'boolean' },
    resolvedBy: { type: ['string', 'null'] }, resolvedOn: { type: ['string', 'null'] }, resolution: { type: ['string', 'null'] },
    waivedChargeIds: { type: 'array', items: { type: 'string' } },
  },
} as const;
