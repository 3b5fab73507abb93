/**
 * Local time in IANA zones, DST-correct and fast. The contact gate judges hours and calendar days in
 * the borrower's zone on every decision, so Intl is asked only while a zone's offset table is built
 * (one decade at a time, on first use); after that an offset is a cached lookup.
 */

export const MILLISECONDS_PER_SECOND = 1000;
export const MILLISECONDS_PER_MINUTE = 60_000;
export const MILLISECONDS_PER_HOUR = 3_600_000;
export const MILLISECONDS_PER_DAY = 86_400_000;

/** Weekday indexes with Monday = 0, as in the contract's "mon".."sun". */
export const WEEKDAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type WeekdayName = (typeof WEEKDAY_NAMES)[number];

// Offsets are sampled this often while a table is built; every real zone keeps an offset longer.
const SAMPLE_STEP_MS = 7 * MILLISECONDS_PER_DAY;
const DECADE_MS = 3652.5 * MILLISECONDS_PER_DAY;
// Instants the gate accepts (RFC 3339 years 1970..2199); tables are built inside this range only.
export const EARLIEST_INSTANT_MS = Date.UTC(1970, 0, 1);
export const LATEST_INSTANT_MS = Date.UTC(2200, 0, 1);

/**
 * One zone's UTC offsets as segments: offset `offsetsMs[i]` holds from `startsMs[i]` (inclusive) to
 * `startsMs[i + 1]` (exclusive). The table covers [coveredFromMs, coveredToMs) and grows on demand.
 */
export class ZoneOffsets {
  readonly name: string;
  readonly #formatter: Intl.DateTimeFormat;
  #startsMs: number[] = [];
  #offsetsMs: number[] = [];
  #coveredFromMs = 0;
  #coveredToMs = 0;
  // The segment of the last lookup: consecutive lookups are nearly always in the same one.
  #lastStartMs = 1;
  #lastEndMs = 0;
  #lastOffsetMs = 0;

  constructor(name: string) {
    this.name = name;
    this.#formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** The zone's UTC offset at `instantMs`, in milliseconds (local = instant + offset). */
  offsetAt(instantMs: number): number {
    if (instantMs >= this.#lastStartMs && instantMs < this.#lastEndMs) return this.#lastOffsetMs;
    return this.#lookup(instantMs);
  }

  /** Local wall-clock time as milliseconds since 1970-01-01T00:00 local. */
  localAt(instantMs: number): number {
    return instantMs + this.offsetAt(instantMs);
  }

  /**
   * The earliest instant at or after `fromMs` whose local wall-clock time is at least `localMs`.
   * Across a spring-forward gap that is the first instant after the gap; across a fall-back, the
   * first occurrence.
   */
  firstInstantAtLocal(fromMs: number, localMs: number): number {
    let instantMs = fromMs;
    // Each pass moves to the next segment; a few passes cover any realistic distance.
    for (let pass = 0; pass < 10_000; pass++) {
      this.#ensureCovered(instantMs);
      const index = this.#segmentIndex(instantMs);
      const offsetMs = this.#offsetsMs[index]!;
      const endMs = index + 1 < this.#startsMs.length ? this.#startsMs[index + 1]! : this.#coveredToMs;
      const candidateMs = Math.max(instantMs, localMs - offsetMs);
      if (candidateMs < endMs) return candidateMs;
      instantMs = endMs;
    }
    throw new Error(`Assertion failed: no instant reaches local time ${localMs} in ${this.name}`);
  }

  /** The first instant of local calendar day `epochDay` (days since 1970-01-01, local). */
  startOfLocalDay(epochDay: number): number {
    const localMs = epochDay * MILLISECONDS_PER_DAY;
    // No zone is more than 14 hours ahead of UTC, so the day cannot start earlier than this.
    return this.firstInstantAtLocal(localMs - 15 * MILLISECONDS_PER_HOUR, localMs);
  }

  #lookup(instantMs: number): number {
    this.#ensureCovered(instantMs);
    const index = this.#segmentIndex(instantMs);
    this.#lastStartMs = this.#startsMs[index]!;
    this.#lastEndMs = index + 1 < this.#startsMs.length ? this.#startsMs[index + 1]! : this.#coveredToMs;
    this.#lastOffsetMs = this.#offsetsMs[index]!;
    return this.#lastOffsetMs;
  }

  #segmentIndex(instantMs: number): number {
    const starts = this.#startsMs;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= instantMs) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  #ensureCovered(instantMs: number): void {
    if (this.#startsMs.length > 0 && instantMs >= this.#coveredFromMs && instantMs < this.#coveredToMs) return;
    const clampedMs = Math.min(Math.max(instantMs, EARLIEST_INSTANT_MS - DECADE_MS), LATEST_INSTANT_MS + DECADE_MS);
    const fromMs = this.#startsMs.length === 0 ? clampedMs - DECADE_MS : Math.min(this.#coveredFromMs, clampedMs - DECADE_MS);
    const toMs = this.#startsMs.length === 0 ? clampedMs + DECADE_MS : Math.max(this.#coveredToMs, clampedMs + DECADE_MS);
    this.#build(fromMs, toMs);
    if (!(instantMs >= this.#coveredFromMs && instantMs < this.#coveredToMs)) {
      throw new Error(`Assertion failed: instant ${instantMs} is outside the supported range of ${this.name}`);
    }
  }

  #build(fromMs: number, toMs: number): void {
    const startsMs: number[] = [fromMs];
    const offsetsMs: number[] = [this.#offsetFromIntl(fromMs)];
    let previousMs = fromMs;
    let previousOffsetMs = offsetsMs[0]!;
    for (let sampleMs = fromMs + SAMPLE_STEP_MS; ; sampleMs += SAMPLE_STEP_MS) {
      const atMs = Math.min(sampleMs, toMs - 1);
      const offsetMs = this.#offsetFromIntl(atMs);
      if (offsetMs !== previousOffsetMs) {
        // Binary search for the first second with the new offset.
        let low = previousMs;
        let high = atMs;
        while (high - low > MILLISECONDS_PER_SECOND) {
          const middle = low + Math.floor((high - low) / 2 / MILLISECONDS_PER_SECOND) * MILLISECONDS_PER_SECOND;
          if (this.#offsetFromIntl(middle) === previousOffsetMs) low = middle;
          else high = middle;
        }
        startsMs.push(high);
        offsetsMs.push(offsetMs);
        previousOffsetMs = offsetMs;
      }
      previousMs = atMs;
      if (atMs >= toMs - 1) break;
    }
    this.#startsMs = startsMs;
    this.#offsetsMs = offsetsMs;
    this.#coveredFromMs = fromMs;
    this.#coveredToMs = toMs;
    this.#lastStartMs = 1;
    this.#lastEndMs = 0;
  }

  #offsetFromIntl(instantMs: number): number {
    const wholeSecondMs = Math.floor(instantMs / MILLISECONDS_PER_SECOND) * MILLISECONDS_PER_SECOND;
    const parts = this.#formatter.formatToParts(wholeSecondMs);
    let year = 0;
    let month = 0;
    let day = 0;
    let hour = 0;
    let minute = 0;
    let second = 0;
    for (const part of parts) {
      if (part.type === 'year') year = Number(part.value);
      else if (part.type === 'month') month = Number(part.value);
      else if (part.type === 'day') day = Number(part.value);
      else if (part.type === 'hour') hour = Number(part.value);
      else if (part.type === 'minute') minute = Number(part.value);
      else if (part.type === 'second') second = Number(part.value);
    }
    const localMs = Date.UTC(year, month - 1, day, hour, minute, second);
    return localMs - wholeSecondMs;
  }
}

const ZONES = new Map<string, ZoneOffsets>();
const REFUSED_ZONES = new Set<string>();
// A bound on distinct zones held in memory: the IANA database has about 600 names.
const MAXIMUM_ZONES = 1000;
const ZONE_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_+\-]*(\/[A-Za-z0-9_+\-]+)*$/;

/**
 * The offset table of an IANA zone, or null when the name is not a zone this runtime knows.
 *
 * @example zoneOffsets('America/Chicago')!.offsetAt(Date.parse('2026-07-01T12:00:00Z')) // -18000000
 */
export function zoneOffsets(name: string): ZoneOffsets | null {
  const known = ZONES.get(name);
  if (known) return known;
  if (REFUSED_ZONES.has(name) || !ZONE_NAME_PATTERN.test(name)) return null;
  try {
    const zone = new ZoneOffsets(name);
    if (ZONES.size < MAXIMUM_ZONES) ZONES.set(name, zone);
    return zone;
  } catch {
    if (REFUSED_ZONES.size < MAXIMUM_ZONES) REFUSED_ZONES.add(name);
    return null;
  }
}

/** Days since 1970-01-01 of a local wall-clock time. */
export function epochDayOfLocal(localMs: number): number {
  return Math.floor(localMs / MILLISECONDS_PER_DAY);
}

/** Milliseconds since local midnight. */
export function timeOfDayMs(localMs: number): number {
  return localMs - Math.floor(localMs / MILLISECONDS_PER_DAY) * MILLISECONDS_PER_DAY;
}

/** Weekday index (Monday = 0) of an epoch day; 1970-01-01 was a Thursday. */
export function weekdayOfEpochDay(epochDay: number): number {
  return (((epochDay + 3) % 7) + 7) % 7;
}

/** "HH:MM" of a local wall-clock time, for messages. */
export function formatLocalTime(localMs: number): string {
  const minutes = Math.floor(timeOfDayMs(localMs) / MILLISECONDS_PER_MINUTE);
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** "YYYY-MM-DD" of a local wall-clock time, for messages. */
export function formatLocalDate(localMs: number): string {
  return new Date(epochDayOfLocal(localMs) * MILLISECONDS_PER_DAY).toISOString().slice(0, 10);
}

/** "HH:MM" of minutes since midnight (1440 prints as "24:00"). */
export function formatMinuteOfDay(minuteOfDay: number): string {
  return `${String(Math.floor(minuteOfDay / 60)).padStart(2, '0')}:${String(minuteOfDay % 60).padStart(2, '0')}`;
}

/**
 * An instant as RFC 3339 UTC with whole seconds, rounded up so that it is never before the instant.
 *
 * @example formatInstant(Date.UTC(2026, 2, 10, 13)) // "2026-03-10T13:00:00Z"
 */
export function formatInstant(instantMs: number): string {
  const secondMs = Math.ceil(instantMs / MILLISECONDS_PER_SECOND) * MILLISECONDS_PER_SECOND;
  return `${new Date(secondMs).toISOString().slice(0, 19)}Z`;
}

const INSTANT_PATTERN = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Parses an RFC 3339 instant ("2026-03-09T14:30:00Z", "2026-03-09T09:30:00-05:00") to epoch
 * milliseconds; returns null when it is not one (missing offset, impossible date, leap second).
 *
 * @example parseInstant('2026-03-09T14:30:00Z') // 1773066600000
 */
export function parseInstant(text: string): number | null {
  const match = INSTANT_PATTERN.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const hour = Number(match[4]);
  const minute = Number(match[5]);
  const second = Number(match[6]);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return null;
  const fractionMs = match[7] ? Math.floor(Number(`0${match[7]}`) * 1000) : 0;
  let offsetMs = 0;
  const zone = match[8]!;
  if (zone !== 'Z' && zone !== 'z') {
    const offsetHours = Number(zone.slice(1, 3));
    const offsetMinutes = Number(zone.slice(4, 6));
    if (offsetHours > 23 || offsetMinutes > 59) return null;
    offsetMs = (zone[0] === '-' ? -1 : 1) * (offsetHours * MILLISECONDS_PER_HOUR + offsetMinutes * MILLISECONDS_PER_MINUTE);
  }
  const instantMs = Date.UTC(year, month - 1, day, hour, minute, second) + fractionMs - offsetMs;
  if (instantMs < EARLIEST_INSTANT_MS || instantMs >= LATEST_INSTANT_MS) return null;
  return instantMs;
}
