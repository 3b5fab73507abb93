/**
 * The closed list of error codes Lenity reports. Each code is one rule; the HTTP status for each is
 * mapped in one table at the edge (`src/http/problem.ts`), the CLI exits 2 for input errors.
 */
export const ERROR_CODES = {
  VALIDATION_FAILED: 'The input is not valid',
  UNKNOWN_FIELD: 'The input has a field that is not part of the contract',
  UNKNOWN_CURRENCY: 'The currency is not an ISO 4217 currency',
  INVALID_AMOUNT: 'The amount is not a valid decimal amount for its currency',
  INVALID_DATE: 'The date is not a valid calendar date',
  NOT_FOUND: 'The resource does not exist or is not visible to the caller',
  UNAUTHENTICATED: 'No valid credentials were given',
  FORBIDDEN: 'The caller lacks the permission this action needs',
  CSRF_TOKEN_INVALID: 'A request signed in by session cookie must carry the session\'s X-CSRF-Token',
  TOO_MANY_ATTEMPTS: 'Too many failed attempts; wait before trying again',
  IDEMPOTENCY_KEY_REQUIRED: 'This request moves money or changes a case and needs an Idempotency-Key',
  IDEMPOTENCY_KEY_REUSED: 'The Idempotency-Key was already used with a different request',
  INVALID_STATE: 'The action is not allowed in the current state',
  RATE_CAP_EXCEEDED: 'The annual percentage rate would exceed the legal cap',
  OUT_OF_RANGE: 'A value is outside the range the product allows',
  TEMPLATE_CHECK_FAILED: "The template fails the contact gate's template check",
  NO_CONTACT_ADDRESS: 'The borrower has no phone number or e-mail address on file for this channel',
  CONFLICT: 'The resource changed concurrently; retry',
  INTERNAL: 'An unexpected error happened',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorDetails {
  /** JSON pointer-like path of the offending input field, e.g. `installments/0/amount`. */
  field?: string;
  [key: string]: unknown;
}

/** A failure a caller can act on: a stable code, a human message, and where it is. */
export class LenityError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super(message);
    this.name = 'LenityError';
    this.code = code;
    this.details = details;
  }

  get field(): string | undefined {
    return this.details.field;
  }
}

export function validationError(field: string, message: string, code: ErrorCode = 'VALIDATION_FAILED'): LenityError {
  return new LenityError(code, `${field}: ${message}`, { field });
}

/** Programmer errors: a broken invariant is a bug, never a user error. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`Assertion failed: ${message}`);
}
