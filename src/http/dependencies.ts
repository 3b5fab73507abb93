import type { DatabaseHandle } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import type { IdGenerator } from '../shared/ids.ts';
import type { Random } from '../shared/random.ts';
import type { BusinessDate } from '../shared/business-date.ts';

/** What the server and its routes are given: I/O lives here, not in the domain. */
export interface ServerDependencies {
  handle: DatabaseHandle;
  clock: Clock;
  ids: IdGenerator;
  random: Random;
  /** The lender's current business date. */
  businessDate(): BusinessDate;
  /** The lender's IANA time zone (LENITY_TIME_ZONE); reports turn instants into business dates with it. Default Asia/Shanghai. */
  timeZone?: string;
  logger?: boolean;
  /** The built web application (default `dist/web` of the repository); missing → a page that says how to build it. */
  webRoot?: string;
  /** Signs the messages collectors send by hand (`LENITY_LENDER_NAME`, `LENITY_LENDER_PHONE`), as the daily run signs its own. */
  lenderName?: string;
  lenderPhone?: string;
}

/** The zone a lender that names none works in. */
export const DEFAULT_LENDER_TIME_ZONE = 'Asia/Shanghai';

/** The lender's IANA time zone: the days of reports and compliance periods are its days. */
export function lenderTimeZone(dependencies: Pick<ServerDependencies, 'timeZone'>): string {
  return dependencies.timeZone ?? DEFAULT_LENDER_TIME_ZONE;
}
