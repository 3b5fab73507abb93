/**
 * The one way screens talk to the server: same-origin `fetch` with the session cookie, the CSRF
 * header on every request that may change something, an Idempotency-Key where money moves, and
 * RFC 9457 problems turned into an `ApiError` a screen can show.
 */

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code: string;
  field?: string;
  [extension: string]: unknown;
}

export class ApiError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title ?? problem.code);
    this.name = 'ApiError';
    this.problem = problem;
  }

  get code(): string {
    return this.problem.code;
  }

  get status(): number {
    return this.problem.status;
  }
}

let csrfToken: string | null = null;

/** Set by the session when it learns the token (login, reload); sent on unsafe requests. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/**
 * A fresh key for one user action that moves money; keep it while retrying the same action so the
 * server returns the first result instead of moving the money twice.
 *
 * @example const key = newIdempotencyKey(); await api.post(`/v1/loans/${id}/payments`, body, { idempotencyKey: key });
 */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

export interface RequestOptions {
  idempotencyKey?: string;
  signal?: AbortSignal;
}

const REQUEST_TIMEOUT_MS = 30_000;

async function request<T>(method: string, path: string, body: unknown, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['x-csrf-token'] = csrfToken;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  const signal = options.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin', signal });
  } catch (error) {
    throw new ApiError({ status: 0, code: 'NETWORK', detail: (error as Error).message });
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (!response.ok) {
    const problem = parsed && typeof parsed === 'object' && 'code' in parsed ? (parsed as Problem) : { status: response.status, code: response.status >= 500 ? 'INTERNAL' : 'UNKNOWN', detail: text.slice(0, 200) };
    throw new ApiError({ ...problem, status: response.status });
  }
  return parsed as T;
}

/** GET, POST, PUT and DELETE against the Lenity API (`/v1/...`). */
export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, undefined, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, body ?? {}, options),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PUT', path, body ?? {}, options),
  delete: <T>(path: string, options?: RequestOptions) => request<T>('DELETE', path, undefined, options),
};
