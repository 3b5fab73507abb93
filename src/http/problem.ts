import { ERROR_CODES, type ErrorCode, LenityError } from '../shared/errors.ts';

/** RFC 9457 problem details, with Lenity's stable `code`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  field?: string;
  [extension: string]: unknown;
}

/** The one table from error code to HTTP status. */
export const STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  VALIDATION_FAILED: 400,
  UNKNOWN_FIELD: 400,
  UNKNOWN_CURRENCY: 400,
  INVALID_AMOUNT: 400,
  INVALID_DATE: 400,
  IDEMPOTENCY_KEY_REQUIRED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CSRF_TOKEN_INVALID: 403,
  TOO_MANY_ATTEMPTS: 429,
  NOT_FOUND: 404,
  IDEMPOTENCY_KEY_REUSED: 409,
  INVALID_STATE: 409,
  CONFLICT: 409,
  RATE_CAP_EXCEEDED: 422,
  OUT_OF_RANGE: 422,
  TEMPLATE_CHECK_FAILED: 422,
  NO_CONTACT_ADDRESS: 422,
  INTERNAL: 500,
};

const TYPE_BASE = 'https://lenity.dev/problems/';

export function problemFromError(error: unknown): Problem {
  if (error instanceof LenityError) {
    const { field, ...rest } = error.details;
    return {
      type: `${TYPE_BASE}${error.code.toLowerCase().replace(/_/g, '-')}`,
      title: ERROR_CODES[error.code],
      status: STATUS_BY_CODE[error.code],
      detail: error.message,
      code: error.code,
      ...(field !== undefined ? { field } : {}),
      ...rest,
    };
  }
  return {
    type: `${TYPE_BASE}internal`,
    title: ERROR_CODES.INTERNAL,
    status: 500,
    detail: 'An unexpected error happened; it has been logged.',
    code: 'INTERNAL',
  };
}
