import type { Clock } from './clock.ts';
import type { Random } from './random.ts';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Entity prefixes: a log line says what an id is about (`loan_…`, `pay_…`). */
export type IdPrefix =
  | 'brw' | 'prd' | 'loan' | 'pay' | 'je' | 'key' | 'chg' | 'evt' | 'att' | 'rcpt' | 'case' | 'task'
  | 'ptp' | 'visit' | 'usr' | 'cal' | 'stg' | 'ovl' | 'cert' | 'agy' | 'msg' | 'hdp' | 'app' | 'run' | 'pause' | 'ses'
  | 'pref' | 'dsp' | 'cmp' | 'rsch' | 'evd' | 'note';

export type IdGenerator = (prefix: IdPrefix) => string;

/**
 * Sortable ids: 10 characters of milliseconds, 16 of randomness, Crockford base32 (ULID layout).
 *
 * @example createIdGenerator(systemClock, createSystemRandom())('loan') // "loan_01JDX…"
 */
export function createIdGenerator(clock: Clock, random: Random): IdGenerator {
  return (prefix) => {
    let time = clock.now().getTime();
    let timePart = '';
    for (let index = 0; index < 10; index++) {
      timePart = CROCKFORD[time % 32] + timePart;
      time = Math.floor(time / 32);
    }
    let randomPart = '';
    for (let index = 0; index < 16; index++) randomPart += CROCKFORD[random.nextUint32() & 31];
    return `${prefix}_${timePart}${randomPart}`;
  };
}
