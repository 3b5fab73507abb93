import type { PackId } from '../compliance/policy-pack.ts';
import cn from './strategies/cn.json' with { type: 'json' };
import uk from './strategies/uk.json' with { type: 'json' };
import usMa from './strategies/us-ma.json' with { type: 'json' };
import us from './strategies/us.json' with { type: 'json' };
import { parseStrategy, type Strategy } from './strategy.ts';

/**
 * The strategy each jurisdiction ships with (data files in `strategies/`): reminder SMS before and on
 * the due day, SMS at 1 and 3 DPD, calls from 5 DPD (every 2 days in CN, 3 in US and UK, 4 in
 * Massachusetts where the gate allows 2 calls a week), email from 7 DPD, a letter at 30 DPD, and a
 * field-visit request only from 60 DPD, after 14 days without right-party contact, with approval.
 *
 * @example defaultStrategy('CN').ladders.standard.length // 10
 */
export function defaultStrategy(jurisdiction: PackId): Strategy {
  return parseStrategy(DEFAULT_STRATEGY_DEFINITIONS[jurisdiction]);
}

export const DEFAULT_STRATEGY_DEFINITIONS: Readonly<Record<PackId, unknown>> = { CN: cn, US: us, 'US-MA': usMa, UK: uk };
