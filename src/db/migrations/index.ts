import type { Migration } from 'kysely/migration';
import * as foundation from './0001-foundation.ts';
import * as servicing from './0002-servicing.ts';
import * as delinquency from './0003-delinquency.ts';
import * as endOfDay from './0004-eod.ts';
import * as endOfDayPartitionKey from './0005-eod-partition-key.ts';
import * as compliance from './0010-compliance.ts';
import * as collections from './0020-collections.ts';
import * as collectionsCases from './0021-collections-cases.ts';
import * as identity from './0030-identity.ts';
import * as collectionsStrategies from './0022-collections-strategies.ts';
import * as collectionsRoster from './0023-collections-roster.ts';
import * as borrowerRequests from './0040-borrower-requests.ts';
import * as caseNotes from './0050-case-notes.ts';
import * as collectionsReports from './0060-collections-reports.ts';
import * as complianceConsole from './0070-compliance-console.ts';
import * as loanJurisdiction from './0080-loan-jurisdiction.ts';
import * as portfolioPosition from './0090-portfolio-position.ts';
import * as installmentFillfactor from './0091-installment-fillfactor.ts';
import * as endOfDayDueCursor from './0092-eod-due-cursor.ts';
import * as lateFeeIndex from './0093-late-fee-index.ts';
import * as journalLinesByEntry from './0094-journal-lines-by-entry.ts';
import * as productTermsSnapshot from './0095-product-terms-snapshot.ts';
import * as chargesCheckedPerStatement from './0096-charges-checked-per-statement.ts';
import * as messageTemplateVersion from './0097-message-template-version.ts';

/** Every migration, by name; names sort in the order they apply. */
export const migrations: Record<string, Migration> = {
  '0001-foundation': foundation,
  '0002-servicing': servicing,
  '0003-delinquency': delinquency,
  '0004-eod': endOfDay,
  '0005-eod-partition-key': endOfDayPartitionKey,
  '0010-compliance': compliance,
  '0020-collections': collections,
  '0021-collections-cases': collectionsCases,
  '0022-collections-strategies': collectionsStrategies,
  '0023-collections-roster': collectionsRoster,
  '0030-identity': identity,
  '0040-borrower-requests': borrowerRequests,
  '0050-case-notes': caseNotes,
  '0060-collections-reports': collectionsReports,
  '0070-compliance-console': complianceConsole,
  '0080-loan-jurisdiction': loanJurisdiction,
  '0090-portfolio-position': portfolioPosition,
  '0091-installment-fillfactor': installmentFillfactor,
  '0092-eod-due-cursor': endOfDayDueCursor,
  '0093-late-fee-index': lateFeeIndex,
  '0094-journal-lines-by-entry': journalLinesByEntry,
  '0095-product-terms-snapshot': productTermsSnapshot,
  '0096-charges-checked-per-statement': chargesCheckedPerStatement,
  '0097-message-template-version': messageTemplateVersion,
};
