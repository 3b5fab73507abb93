import type { ColumnType } from 'kysely';

/** The collections context's tables, gathered into `Database` by `src/db/schema.ts`. */
export interface CollectionsTables {
  /**
   * One row per outbound message (SMS, email, letter, call task). The dispatcher claims rows, sends
   * them through a channel and records what the provider said; the idempotency key is unique so a
   * message enqueued twice is one message.
   */
  outbound_message: {
    id: string;
    /** Distribution key: every row of a borrower lives on one shard. */
    borrower_id: string;
    channel: string;
    recipient: string;
    subject: string | null;
    body: string;
    language: string;
    idempotency_key: string;
    /** queued | sending | sent | failed | dead | denied */
    status: string;
    attempts: number;
    maximum_attempts: number;
    next_attempt_at: Date;
    /** While `sending`: until when the claim holds; after it a crashed send is claimed again. */
    lease_until: Date | null;
    provider: string | null;
    provider_message_id: string | null;
    /** Provider delivery state from a receipt (e.g. DELIVRD), when the provider reports one. */
    delivery_state: string | null;
    last_error: string | null;
    /** The gate's receipt for the latest evaluation at the moment of sending. */
    receipt_id: string | null;
    /** The contact request (compliance-check.md input) without `at`; `at` is the moment of sending. */
    contact_request: ColumnType<unknown, string, string>;
    created_at: ColumnType<Date, Date | undefined, never>;
    updated_at: Date;
    sent_at: Date | null;
    /** The approved template version the text was rendered from; null for a text queued without one. */
    template_id: string | null;
    template_version: number | null;
  };
  /**
   * What an SMPP centre acknowledged, one row per segment: a resend after a crash skips every segment
   * recorded here, because SMPP itself has no idempotency key.
   */
  message_segment_acknowledgement: {
    idempotency_key: string;
    segment_index: number;
    segment_count: number;
    provider_message_id: string;
    delivery_state: string | null;
    acknowledged_at: Date;
  };
  /** The embedded demo's provider: what would have been sent, kept for people to look at. */
  outbox_message: {
    id: string;
    borrower_id: string;
    idempotency_key: string;
    channel: string;
    recipient: string;
    subject: string | null;
    body: string;
    recorded_at: Date;
  };
  /** A call an agent should make (click-to-dial), and its outcome once logged. */
  call_task: {
    id: string;
    borrower_id: string;
    idempotency_key: string;
    phone: string;
    script: string;
    language: string;
    /** open | done */
    status: string;
    agent_id: string | null;
    /** no-answer | voicemail | connected | conversation | refused-contact | wrong-number */
    outcome: string | null;
    outcome_note: string | null;
    created_at: Date;
    completed_at: Date | null;
    /** The collection case whose ladder made the task; null for tasks queued outside a case. */
    case_id: string | null;
  };
  /** A collector's passed training module: what certifies them for a jurisdiction and channels. */
  collector_training: {
    id: string;
    agent_id: string;
    module: string;
    jurisdiction: string;
    channels: ColumnType<string[], string, string>;
    passed_on: string;
    expires_on: string | null;
    revoked_at: Date | null;
    created_at: ColumnType<Date, Date | undefined, never>;
  };
}
