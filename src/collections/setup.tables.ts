import type { ColumnType } from 'kysely';

/** How collections is set up (strategies, roster, templates), gathered into `Database` by `src/db/schema.ts`. */
export interface CollectionSetupTables {
  /** One row per strategy version; a version never changes once written (editing adds one). */
  collection_strategy: {
    id: string;
    version: number;
    /** The policy pack the strategy is for (CN, US, US-MA, UK); at most one active per jurisdiction. */
    jurisdiction: string;
    name: string;
    /** The strategy JSON as `parseStrategy` reads it (its `version` is this row's). */
    definition: ColumnType<unknown, string, string>;
    /** draft | active | retired */
    status: string;
    created_by: string;
    created_at: Date;
  };
  /** Who may receive cases: keyed by the agent's id (the id of their API key). */
  collector_profile: {
    agent_id: string;
    display_name: string;
    /** zh-CN | en */
    languages: ColumnType<string[], string, string>;
    jurisdictions: ColumnType<string[], string, string>;
    /** Where the agent can go on field visits; null for desk agents. */
    region: string | null;
    /** The most open cases the agent holds at once. */
    capacity: number;
    active: boolean;
    updated_at: Date;
  };
  /** Message templates as versions; only an approved version is ever rendered into a message. */
  collection_template: {
    /** `<purpose>.<language>`, e.g. `dpd-1.zh-CN`. */
    id: string;
    version: number;
    purpose: string;
    language: string;
    channel: string;
    /** borrower | third-party */
    recipient: string;
    subject: string | null;
    body: string;
    /** draft | approved */
    status: string;
    checked_at: Date | null;
    /** The template check per pack: [{ policy, ok, findings }] */
    check_result: ColumnType<unknown, string | null, string | null>;
    created_by: string;
    created_at: Date;
  };
}
