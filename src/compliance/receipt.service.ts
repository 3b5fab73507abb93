import type { Executor } from '../db/transaction.ts';
import { hashRequest } from '../db/idempotency.ts';
import { LenityError, validationError } from '../shared/errors.ts';
import type { IdGenerator } from '../shared/ids.ts';
import { parseContactRequest } from './contact-request.ts';
import { type ContactDecision, evaluateContact, findPolicyPack } from './evaluate-contact.ts';
import { parsePolicyOverlay } from './overlay.ts';
import { PACK_IDS, type PackId } from './policy-pack.ts';
import { insertReceipt, listReceiptsAfter, type NewReceipt, selectCurrentOverlay } from './receipt.store.ts';

export interface RecordReceiptInput {
  /** The receipt id ("rcpt_…"). */
  id: string;
  borrowerId: string;
  /** The contract request (JSON) exactly as evaluated. */
  request: unknown;
  /** The lender overlay (JSON) applied, if any. */
  overlay?: unknown | null;
  decision: ContactDecision;
  /** The agent who asked for the attempt; absent for automated steps. */
  agentId?: string | null;
}

/**
 * Stores a receipt: the gate's inputs and its decision for one attempt. The request must be a valid
 * contract request so that `verifyReceipts` can re-derive it.
 *
 * @example await recordReceipt(db, { id: ids('rcpt'), borrowerId: 'brw_1', request, decision })
 */
export async function recordReceipt(db: Executor, input: RecordReceiptInput): Promise<void> {
  if (!input.borrowerId) throw validationError('borrowerId', 'must be a non-empty string');
  await insertReceipt(db, receiptOf(input, parseContactRequest(input.request)));
}

/** The row of a receipt, from its input and the request as parsed. */
function receiptOf(input: RecordReceiptInput, parsed: ReturnType<typeof parseContactRequest>): NewReceipt {
  return {
    id: input.id,
    borrowerId: input.borrowerId,
    debtId: parsed.attempt.debtId,
    channel: parsed.attempt.channel,
    agentId: input.agentId ?? null,
    attemptAt: new Date(parsed.atMs),
    request: input.request,
    overlay: input.overlay ?? null,
    decision: input.decision,
  };
}

/**
 * Evaluates an attempt and stores its receipt in one step: what collections calls when a task is
 * scheduled and again at the moment of contact. Without an overlay from the caller, the newest
 * overlay stored for the request's pack (Administration → Policy overlays) applies.
 *
 * @example const { receiptId, decision } = await evaluateAndRecord(db, ids, { borrowerId: 'brw_1', request })
 */
export async function evaluateAndRecord(
  db: Executor,
  ids: IdGenerator,
  input: { borrowerId: string; request: unknown; overlay?: unknown | null; agentId?: string | null },
): Promise<{ receiptId: string; decision: ContactDecision }> {
  const request = parseContactRequest(input.request);
  // An overlay given by the caller wins (null: the pack as published); otherwise the lender's
  // stored overlay for the pack applies.
  const overlay = input.overlay !== undefined ? input.overlay : await selectCurrentOverlay(db, request.policy);
  const { receipt, decision } = evaluateForReceipt(ids, { ...input, overlay });
  await insertReceipt(db, receipt);
  return { receiptId: receipt.id, decision };
}

/**
 * Evaluates an attempt and returns its receipt without storing it, for a run that stores the
 * receipts of many decisions at once (`insertReceipts`, in the transaction of what they decided).
 * The overlay is the one that applies (null: the pack as published).
 *
 * @example const { receipt, decision } = evaluateForReceipt(ids, { borrowerId: 'brw_1', request, overlay: null })
 */
export function evaluateForReceipt(
  ids: IdGenerator,
  input: { borrowerId: string; request: unknown; overlay: unknown | null; agentId?: string | null },
): { receipt: NewReceipt; decision: ContactDecision } {
  if (!input.borrowerId) throw validationError('borrowerId', 'must be a non-empty string');
  const request = parseContactRequest(input.request);
  const overlay = input.overlay == null ? undefined : parsePolicyOverlay(input.overlay);
  const decision = evaluateContact(request, overlay ? { overlay } : {});
  return { receipt: receiptOf({ ...input, id: ids('rcpt'), decision }, request), decision };
}

/**
 * The lender's stored overlay of each pack, read once per pack however many evaluations ask: for a
 * run that records many decisions in one transaction (an overlay changed meanwhile applies from
 * the next run).
 *
 * @example const overlayFor = storedOverlays(transaction); await evaluateAndRecord(transaction, ids, { borrowerId, request, overlay: await overlayFor('CN') })
 */
export function storedOverlays(db: Executor): (pack: string) => Promise<unknown | null> {
  const overlayOfPack = new Map<string, Promise<unknown | null>>();
  return (pack) => {
    let overlay = overlayOfPack.get(pack);
    if (!overlay) {
      overlay = selectCurrentOverlay(db, pack);
      overlayOfPack.set(pack, overlay);
    }
    return overlay;
  };
}

export interface ReceiptMismatch {
  receiptId: string;
  borrowerId: string;
  policy: string;
  /** Why it does not verify: the decision differs, the pack version is unknown, or the stored request no longer parses. */
  problem: 'decision-differs' | 'unknown-policy' | 'invalid-request';
  detail: string;
  stored: unknown;
  recomputed: ContactDecision | null;
}

export interface VerifyReceiptsResult {
  checked: number;
  mismatches: ReceiptMismatch[];
}

const VERIFY_BATCH_SIZE = 500;
// A bound on what one report holds; `checked` still counts every receipt.
const MAXIMUM_REPORTED_MISMATCHES = 1000;

/**
 * Re-evaluates every stored receipt with the pack version (and overlay) it names and compares the
 * decision. `lenity verify` reports the result; a clean store has no mismatches.
 *
 * @example const { checked, mismatches } = await verifyReceipts(db) // { checked: 120, mismatches: [] }
 */
export async function verifyReceipts(db: Executor, options: { batchSize?: number } = {}): Promise<VerifyReceiptsResult> {
  const batchSize = options.batchSize ?? VERIFY_BATCH_SIZE;
  const mismatches: ReceiptMismatch[] = [];
  let checked = 0;
  let afterId: string | null = null;
  for (;;) {
    const receipts = await listReceiptsAfter(db, afterId, batchSize);
    if (receipts.length === 0) break;
    for (const receipt of receipts) {
      checked++;
      const mismatch = verifyOne(receipt.id, receipt.borrowerId, receipt.policy, receipt.request, receipt.overlay, receipt.decision);
      if (mismatch && mismatches.length < MAXIMUM_REPORTED_MISMATCHES) mismatches.push(mismatch);
    }
    afterId = receipts[receipts.length - 1]!.id;
    if (receipts.length < batchSize) break;
  }
  return { checked, mismatches };
}

function verifyOne(receiptId: string, borrowerId: string, policy: string, request: unknown, overlayJson: unknown, stored: unknown): ReceiptMismatch | null {
  const base = { receiptId, borrowerId, policy, stored };
  const match = /^([A-Z-]+)@([^+]+)(\+.*)?$/.exec(policy);
  const packId = match?.[1] as PackId | undefined;
  const pack = packId && (PACK_IDS as readonly string[]).includes(packId) ? findPolicyPack(packId, match![2]!) : null;
  if (!pack) return { ...base, problem: 'unknown-policy', detail: `No pack ${policy} is known to this version of Lenity`, recomputed: null };
  let recomputed: ContactDecision;
  try {
    const overlay = overlayJson === null ? undefined : parsePolicyOverlay(overlayJson);
    recomputed = evaluateContact(parseContactRequest(request), { pack, ...(overlay ? { overlay } : {}) });
  } catch (error) {
    const detail = error instanceof LenityError ? error.message : String(error);
    return { ...base, problem: 'invalid-request', detail, recomputed: null };
  }
  if (hashRequest(recomputed) === hashRequest(stored)) return null;
  return { ...base, problem: 'decision-differs', detail: 'Re-evaluating the stored request gives a different decision', recomputed };
}
