import { PACK_IDS, type PackId } from '../compliance/policy-pack.ts';
import type { Executor } from '../db/transaction.ts';
import type { Clock } from '../shared/clock.ts';
import { LenityError, validationError } from '../shared/errors.ts';
import { readObject, readOptionalString } from '../shared/input.ts';
import { DEFAULT_STRATEGY_DEFINITIONS } from './default-strategies.ts';
import { parseStrategy, type Strategy } from './strategy.ts';
import {
  insertStrategyVersion, selectStrategyJurisdictions, selectStrategyVersion, selectStrategyVersions, setStrategyStatus, type StrategyRow,
} from './strategy.store.ts';

/**
 * Strategies stored as immutable versions (`collection_strategy`): a supervisor creates a strategy,
 * adds versions (each one validated by `parseStrategy`, errors naming the field), and activates one
 * per jurisdiction (the previous active version is retired in the same transaction). When a
 * jurisdiction has no stored strategy, the shipped default is stored as its active version 1.
 */
const STRATEGY_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const MAXIMUM_NAME_LENGTH = 200;
const MAXIMUM_DEFINITION_BYTES = 200_000;
/** Who stored the shipped defaults. */
export const SHIPPED_BY = 'lenity';

export interface StrategyValidation {
  valid: boolean;
  problems: Array<{ field: string; detail: string }>;
}

/**
 * Validates a strategy definition without storing it: the problems name the field, as an editor shows them.
 *
 * @example validateStrategyDefinition({ definition: { …, ladders: { standard: { rungs: [{ …, when: { dpd: 900 } }] } } } }).problems[0].field // "definition.ladders.standard.rungs.0.when.dpd"
 */
export function validateStrategyDefinition(json: unknown): StrategyValidation {
  try {
    const body = readObject(json, '(root)', ['definition']);
    parseDefinition(body.definition, null);
    return { valid: true, problems: [] };
  } catch (error) {
    if (error instanceof LenityError && (error.code === 'VALIDATION_FAILED' || error.code === 'UNKNOWN_FIELD')) {
      return { valid: false, problems: [{ field: error.details.field ?? '(root)', detail: error.message }] };
    }
    throw error;
  }
}

/** Parses a definition; the version is the stored one (given) or 1 when only validating. Fields are named under `definition.`. */
function parseDefinition(definition: unknown, version: number | null): Strategy {
  if (typeof definition !== 'object' || definition === null || Array.isArray(definition)) throw validationError('definition', 'must be a JSON object (the strategy)');
  if (JSON.stringify(definition).length > MAXIMUM_DEFINITION_BYTES) throw validationError('definition', `must be at most ${MAXIMUM_DEFINITION_BYTES} characters of JSON`);
  const withVersion = { ...(definition as Record<string, unknown>), version: version ?? (definition as Record<string, unknown>).version ?? 1 };
  try {
    const strategy = parseStrategy(withVersion);
    if (!STRATEGY_ID.test(strategy.id)) throw validationError('id', 'must be lower-case letters, digits and dashes (at most 63), e.g. "cn-2026"');
    return strategy;
  } catch (error) {
    if (error instanceof LenityError && error.details.field !== undefined) {
      const field = error.details.field === '(root)' || error.details.field === '' ? 'definition' : `definition.${error.details.field}`;
      throw new LenityError(error.code, `${field}: ${error.message.slice(error.message.indexOf(': ') + 2)}`, { ...error.details, field });
    }
    throw error;
  }
}

/**
 * Stores the shipped default strategy of every jurisdiction that has none stored, as active version 1.
 * Safe to run concurrently: a row another process stored first is kept.
 *
 * @example await ensureDefaultStrategies(db, clock)
 */
export async function ensureDefaultStrategies(db: Executor, clock: Clock): Promise<void> {
  const stored = await selectStrategyJurisdictions(db);
  for (const jurisdiction of PACK_IDS) {
    if (stored.has(jurisdiction)) continue;
    const strategy = parseStrategy(DEFAULT_STRATEGY_DEFINITIONS[jurisdiction]);
    await insertStrategyVersion(db, {
      id: strategy.id, version: strategy.version, jurisdiction, name: `${jurisdiction} default`, definition: DEFAULT_STRATEGY_DEFINITIONS[jurisdiction],
      status: 'active', createdBy: SHIPPED_BY, createdAt: clock.now(),
    });
  }
}

function summaryOf(rows: StrategyRow[]) {
  const latest = rows.at(-1)!;
  return {
    id: latest.id, jurisdiction: latest.jurisdiction, name: latest.name, latestVersion: latest.version,
    activeVersion: rows.find((row) => row.status === 'active')?.version ?? null,
  };
}

function versionOf(row: StrategyRow, withDefinition: boolean) {
  return {
    version: row.version, name: row.name, status: row.status, createdBy: row.createdBy, createdAt: row.createdAt.toISOString(),
    ...(withDefinition ? { definition: row.definition } : {}),
  };
}

/**
 * Every stored strategy with its versions (definitions left out), defaults stored first when missing.
 *
 * @example (await listStrategies(db, clock))[0] // { id: 'cn-default', jurisdiction: 'CN', activeVersion: 1, versions: [...] }
 */
export async function listStrategies(db: Executor, clock: Clock) {
  await ensureDefaultStrategies(db, clock);
  const rows = await selectStrategyVersions(db);
  const byId = new Map<string, StrategyRow[]>();
  for (const row of rows) byId.set(row.id, [...(byId.get(row.id) ?? []), row]);
  return [...byId.values()].map((versions) => ({ ...summaryOf(versions), versions: versions.map((row) => versionOf(row, false)) }));
}

/**
 * One strategy with every version and its definition.
 *
 * @example (await getStrategy(db, clock, 'cn-default')).versions[0].definition.ladders
 */
export async function getStrategy(db: Executor, clock: Clock, id: string) {
  await ensureDefaultStrategies(db, clock);
  const rows = await selectStrategyVersions(db, { id });
  if (rows.length === 0) throw new LenityError('NOT_FOUND', `Strategy ${id} does not exist`);
  return { ...summaryOf(rows), versions: rows.map((row) => versionOf(row, true)) };
}

function readBody(json: unknown) {
  const body = readObject(json, '(root)', ['name', 'definition']);
  const name = readOptionalString(body, 'name', '(root)');
  if (name !== null && name.length > MAXIMUM_NAME_LENGTH) throw validationError('name', `must hold at most ${MAXIMUM_NAME_LENGTH} characters`);
  return { name, definition: body.definition };
}

/**
 * Creates a strategy as draft version 1 (activate it to use it). Its id and jurisdiction come from the definition.
 *
 * @example await createStrategy(db, clock, 'key_1', { name: 'CN 2026', definition: { id: 'cn-2026', jurisdiction: 'CN', segments, ladders } })
 */
export async function createStrategy(db: Executor, clock: Clock, actor: string, json: unknown) {
  await ensureDefaultStrategies(db, clock);
  const { name, definition } = readBody(json);
  const strategy = parseDefinition(definition, 1);
  if ((await selectStrategyVersions(db, { id: strategy.id })).length > 0) {
    throw new LenityError('INVALID_STATE', `Strategy ${strategy.id} exists; add a version to change it`, { field: 'definition.id' });
  }
  await insertStrategyVersion(db, {
    id: strategy.id, version: 1, jurisdiction: strategy.jurisdiction, name: name ?? strategy.id, definition: { ...(definition as object), version: 1 }, status: 'draft',
    createdBy: actor, createdAt: clock.now(),
  });
  return { status: 201, body: await getStrategy(db, clock, strategy.id) };
}

/**
 * Adds a draft version to a strategy: versions never change, so editing is adding. The jurisdiction stays the strategy's.
 *
 * @example await addStrategyVersion(db, clock, 'key_1', 'cn-2026', { definition: { …edited } })
 */
export async function addStrategyVersion(db: Executor, clock: Clock, actor: string, id: string, json: unknown) {
  const rows = await selectStrategyVersions(db, { id });
  if (rows.length === 0) throw new LenityError('NOT_FOUND', `Strategy ${id} does not exist`);
  const { name, definition } = readBody(json);
  const latest = rows.at(-1)!;
  const version = latest.version + 1;
  const strategy = parseDefinition(definition, version);
  if (strategy.id !== id) throw validationError('definition.id', `must be "${id}", the strategy this version belongs to`);
  if (strategy.jurisdiction !== latest.jurisdiction) throw validationError('definition.jurisdiction', `must be "${latest.jurisdiction}", the strategy's jurisdiction`);
  await insertStrategyVersion(db, {
    id, version, jurisdiction: latest.jurisdiction, name: name ?? latest.name, definition: { ...(definition as object), version }, status: 'draft', createdBy: actor, createdAt: clock.now(),
  });
  return { status: 201, body: await getStrategy(db, clock, id) };
}

/**
 * Makes a version the one new cases of its jurisdiction get; the previously active version is retired.
 * Open cases keep the version they were opened with.
 *
 * @example await activateStrategy(db, clock, 'cn-2026', 2)
 */
export async function activateStrategy(db: Executor, clock: Clock, id: string, version: number) {
  await ensureDefaultStrategies(db, clock);
  const row = await selectStrategyVersion(db, id, version);
  if (!row) throw new LenityError('NOT_FOUND', `Strategy ${id} version ${version} does not exist`);
  if (row.status !== 'active') {
    await setStrategyStatus(db, { jurisdiction: row.jurisdiction, status: 'active' }, 'retired');
    await setStrategyStatus(db, { id, version }, 'active');
  }
  return { status: 200, body: await getStrategy(db, clock, id) };
}

/**
 * The strategies runs need: the active one per jurisdiction (for new cases) and any stored version by
 * id and version (for the cases opened with it), parsed once per run.
 *
 * @example const book = await loadStrategyBook(db, clock); book.active('CN').id // "cn-default"
 */
export async function loadStrategyBook(db: Executor, clock: Clock) {
  await ensureDefaultStrategies(db, clock);
  const active = new Map<string, Strategy>();
  for (const row of await selectStrategyVersions(db, { status: 'active' })) active.set(row.jurisdiction, parseStrategy({ ...(row.definition as object), version: row.version }));
  const versions = new Map<string, Strategy>();
  for (const strategy of active.values()) versions.set(`${strategy.id}@${strategy.version}`, strategy);
  const activeFor = (jurisdiction: string): Strategy => {
    const pack: PackId = (PACK_IDS as readonly string[]).includes(jurisdiction) ? (jurisdiction as PackId) : 'CN';
    const strategy = active.get(pack);
    if (!strategy) throw new LenityError('INVALID_STATE', `No active strategy for ${pack}`);
    return strategy;
  };
  return {
    active: activeFor,
    /** The version a case was opened with; the jurisdiction's active one if that version is gone. */
    async version(id: string, version: number, jurisdiction: string): Promise<Strategy> {
      const key = `${id}@${version}`;
      const cached = versions.get(key);
      if (cached) return cached;
      const row = await selectStrategyVersion(db, id, version);
      const strategy = row ? parseStrategy({ ...(row.definition as object), version: row.version }) : activeFor(jurisdiction);
      versions.set(key, strategy);
      return strategy;
    },
  };
}
