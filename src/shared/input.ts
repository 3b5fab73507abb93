import { validationError } from './errors.ts';

/**
 * Readers for contract input (JSON from the CLI or HTTP): each names the field in its error, and
 * objects refuse fields outside their contract.
 *
 * @example
 * const terms = readObject(json, '', ['principal', 'currency']);
 * const currency = readString(terms, 'currency', '');
 */
export type JsonObject = Record<string, unknown>;

export function fieldPath(parent: string, key: string | number): string {
  return parent ? `${parent}.${key}` : String(key);
}

/** An object whose keys are all in `allowedKeys`; unknown keys are an UNKNOWN_FIELD error. */
export function readObject(value: unknown, field: string, allowedKeys: readonly string[]): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw validationError(field || '(root)', 'must be a JSON object');
  }
  for (const key of Object.keys(value)) {
    if (!allowedKeys.includes(key)) throw validationError(fieldPath(field, key), 'is not a known field', 'UNKNOWN_FIELD');
  }
  return value as JsonObject;
}

export function readString(object: JsonObject, key: string, parent: string, fallback?: string): string {
  const value = object[key];
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'string' || value.length === 0) throw validationError(fieldPath(parent, key), 'must be a non-empty string');
  return value;
}

export function readOptionalString(object: JsonObject, key: string, parent: string): string | null {
  const value = object[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length === 0) throw validationError(fieldPath(parent, key), 'must be a non-empty string or null');
  return value;
}

export function readEnum<T extends string>(object: JsonObject, key: string, parent: string, allowed: readonly T[], fallback?: T): T {
  const value = object[key];
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw validationError(fieldPath(parent, key), `must be one of ${allowed.map((item) => JSON.stringify(item)).join(', ')}`);
  }
  return value as T;
}

export function readInteger(object: JsonObject, key: string, parent: string, range: { min?: number; max?: number; fallback?: number } = {}): number {
  const value = object[key];
  if (value === undefined && range.fallback !== undefined) return range.fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw validationError(fieldPath(parent, key), 'must be an integer');
  if (range.min !== undefined && value < range.min) throw validationError(fieldPath(parent, key), `must be at least ${range.min}`);
  if (range.max !== undefined && value > range.max) throw validationError(fieldPath(parent, key), `must be at most ${range.max}`);
  return value;
}

export function readBoolean(object: JsonObject, key: string, parent: string, fallback?: boolean): boolean {
  const value = object[key];
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'boolean') throw validationError(fieldPath(parent, key), 'must be true or false');
  return value;
}

export function readArray(object: JsonObject, key: string, parent: string, fallback?: unknown[]): unknown[] {
  const value = object[key];
  if (value === undefined && fallback !== undefined) return fallback;
  if (!Array.isArray(value)) throw validationError(fieldPath(parent, key), 'must be an array');
  return value;
}

/** Parses one JSON document, reporting a syntax error as a validation error. */
export function parseJson(text: string, field = '(root)'): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw validationError(field, `is not valid JSON (${(error as Error).message})`);
  }
}
