import type { Executor } from '../db/transaction.ts';
import { inTransaction } from '../db/transaction.ts';
import { hashRequest, isUniqueViolation, replayedOutcome, runIdempotent, type IdempotentOutcome } from '../db/idempotency.ts';
import { writeLoanChange, type LoanChangeWrite } from './loan-write.store.ts';
import { type BusinessDate, parseBusinessDate } from '../shared/business-date.ts';
import type { CurrencyCode } from '../shared/currency.ts';
import { type Fixed, formatFixed, fixedFromInteger, parseDecimal } from '../shared/decimal.ts';
import { LenityError } from '../shared/errors.ts';
import type { IdGenerator } from '../shared/ids.ts';
import { readObject, readOptionalString, readString, readInteger, readEnum } from '../shared/input.ts';
import { formatMoney, parseMoney } from '../shared/money.ts';
import type { Allocation } from './allocation.ts';
import { ledgerPosition, oldestUnpaidDueDate, outstandingBalances, positionChangeEntry, EMPTY_POSITION, outstandingOf } from './loan-state.ts';
import {
  assertWithinRateCap,
  formatLoanTerms,
  initialInstallments,
  installmentNumberFor,
  loanAnnualPercentageRate,
  loanTermsFor,
  originationFeeMinor,
  parseLoanTerms,
  parseDisbursedLoanTerms,
  servicingRulesFor,
  type LoanTerms,
} from './loan-terms.ts';
import { formatAllocation, formatInstallment, formatLoanSummary, formatPayoffQuote, formatTransaction } from './loan-view.ts';
import {
  findLoan,
  loadEvents,
  loadInstallments,
  loanStateFromRows,
  lockLoan,
  loadLoanSnapshot,
  saveAllocations,
  type LoanRow,
  type LoanSnapshot,
} from './loan.store.ts';
import { getProduct } from './product.service.ts';
import { type AgeingPause, loanAgeing, nextEventAfterChange } from './ageing.ts';
import { generateSchedule } from './schedule.ts';
import { applyCharge, applyPayment, applyReschedule, cloneLoanState, isSettled, payoffQuote, replayLoan, applyWriteOff, type LoanEvent, type LoanState, type ReamortizedInstallment } from './servicing.ts';

/** What servicing use cases need from the edge. */
export interface ServicingDependencies {
  db: Executor;
  ids: IdGenerator;
}

/** A loan application: the borrower, the product and the requested terms (API JSON). */
export async function createLoan(dependencies: ServicingDependencies, json: unknown, businessDate: BusinessDate) {
  const input = readObject(json, '', ['borrowerId', 'productId', 'principal', 'numberOfRepayments', 'disbursementDate', 'firstRepaymentDate', 'downPaymentPercent']);
  const borrowerId = readString(input, 'borrowerId', '');
  const productId = readString(input, 'productId', '');
  const { db, ids } = dependencies;
  const product = await getProduct(db, productId);
  const borrower = await db.selectFrom('borrower').select(['id', 'jurisdiction']).where('id', '=', borrowerId).executeTakeFirst();
  if (!borrower) throw new LenityError('NOT_FOUND', `Borrower ${borrowerId} does not exist`, { field: 'borrowerId' });
  const currency = product.product.terms.currency;
  const principalMinor = parseMoney(input.principal, currency, { field: 'principal', allowZero: false });
  const disbursementText = readOptionalString(input, 'disbursementDate', '');
  const firstText = readOptionalString(input, 'firstRepaymentDate', '');
  const terms = loanTermsFor(product.product, {
    principalMinor,
    numberOfRepayments: input.numberOfRepayments === undefined ? undefined : readInteger(input, 'numberOfRepayments', '', { min: 1, max: 1200 }),
    disbursementDate: disbursementText ? parseBusinessDate(disbursementText, 'disbursementDate') : businessDate,
    firstRepaymentDate: firstText ? parseBusinessDate(firstText, 'firstRepaymentDate') : null,
    downPaymentPercent: input.downPaymentPercent === undefined ? undefined : parseDownPaymentPercent(input.downPaymentPercent, 'downPaymentPercent'),
  });
  const apr = loanAnnualPercentageRate(terms);
  assertWithinRateCap(terms, apr);
  const id = ids('loan');
  await db
    .insertInto('loan')
    .values({
      id,
      borrower_id: borrowerId,
      product_id: productId,
      currency,
      jurisdiction: borrower.jurisdiction,
      principal_minor: principalMinor,
      terms: JSON.stringify(formatLoanTerms(terms)),
      status: 'submitted',
      apr: formatFixed(apr, 2),
      submitted_on: businessDate,
      approved_on: null,
      disbursed_on: null,
      closed_on: null,
      oldest_unpaid_due_date: null,
      last_transaction_date: null,
      next_event_date: null,
      written_off_on: null,
    })
    .execute();
  return getLoan(db, id, businessDate);
}

export async function approveLoan(dependencies: ServicingDependencies, loanId: string, businessDate: BusinessDate) {
  return inTransaction(dependencies.db, async (transaction) => {
    const loan = await lockLoan(transaction, loanId);
    if (loan.status !== 'submitted') throw new LenityError('INVALID_STATE', `Loan ${loanId} is ${loan.status}; only a submitted loan can be approved`);
    await transaction.updateTable('loan').set({ status: 'approved', approved_on: businessDate, version: loan.version + 1 }).where('id', '=', loanId).execute();
    return getLoan(transaction, loanId, businessDate);
  });
}

/**
 * Pays the loan out: the schedule is fixed from the actual disbursement date, the origination fee
 * is charged with the first installment, and the ledger receives principal and interest receivable.
 */
export async function disburseLoan(dependencies: ServicingDependencies, loanId: string, options: { businessDate: BusinessDate; idempotencyKey: string; date?: BusinessDate }) {
  return runIdempotent(dependencies.db, { scope: `disburse:${loanId}`, key: options.idempotencyKey, body: { date: options.date ?? null } }, async (transaction) => {
    const loan = await lockLoan(transaction, loanId);
    if (loan.status !== 'approved') throw new LenityError('INVALID_STATE', `Loan ${loanId} is ${loan.status}; only an approved loan can be disbursed`);
    const disbursementDate = options.date ?? options.businessDate;
    if (disbursementDate > options.businessDate) throw new LenityError('VALIDATION_FAILED', 'date: a loan cannot be disbursed in the future', { field: 'date' });
    const stored = parseLoanTerms(loan.terms);
    const terms: LoanTerms = { ...stored, schedule: { ...stored.schedule, disbursementDate, firstRepaymentDate: stored.schedule.firstRepaymentDate && stored.schedule.firstRepaymentDate > disbursementDate ? stored.schedule.firstRepaymentDate : null } };
    const schedule = generateSchedule(terms.schedule);
    const apr = loanAnnualPercentageRate(terms, schedule);
    assertWithinRateCap(terms, apr);
    const state: LoanState = {
      installments: initialInstallments(schedule),
      receivedMinor: 0n,
      overpaymentMinor: 0n,
      writtenOff: { principalMinor: 0n, interestMinor: 0n, feeMinor: 0n, penaltyMinor: 0n },
      writtenOffOn: null,
    };
    const feeMinor = originationFeeMinor(terms);
    const transactionId = dependencies.ids('pay');
    if (feeMinor > 0n) {
      const installmentNumber = state.installments[0]!.number;
      applyCharge(state, { kind: 'fee', amountMinor: feeMinor, waivedMinor: 0n, installmentNumber });
      await transaction
        .insertInto('loan_charge')
        .values({ id: dependencies.ids('chg'), loan_id: loanId, borrower_id: loan.borrower_id, kind: 'fee', name: 'Origination fee', amount_minor: feeMinor, due_date: state.installments[0]!.dueDate, installment_number: installmentNumber, charged_on: disbursementDate })
        .execute();
    }
    await transaction
      .insertInto('loan_transaction')
      .values({ id: transactionId, loan_id: loanId, borrower_id: loan.borrower_id, kind: 'disbursement', value_date: disbursementDate, booked_on: options.businessDate, amount_minor: loan.principal_minor, principal_minor: loan.principal_minor, reversed_on: null, note: null })
      .execute();
    const disbursed: LoanRow = { ...loan, disbursed_minor: loan.principal_minor };
    await commitLoanChange(transaction, dependencies.ids, disbursed, null, state, {
      businessDate: options.businessDate,
      kind: 'disbursement',
      description: `Disbursement of loan ${loanId}`,
      transactionId,
      lastEventDate: disbursementDate,
      extra: { status: 'active', disbursed_on: disbursementDate, disbursed_minor: loan.principal_minor, apr: formatFixed(apr, 2), terms: JSON.stringify(formatLoanTerms(terms)) },
    });
    return { status: 201, body: await getLoan(transaction, loanId, options.businessDate) };
  });
}

export interface PaymentRequest {
  amount: string;
  /** The value date; the business date when absent. A date before later payments re-applies them. */
  date?: string | null;
  idempotencyKey: string;
  businessDate: BusinessDate;
  note?: string | null;
}

/**
 * Posts a payment: allocation by the product's waterfall, ledger entry in the same transaction,
 * once per idempotency key.
 *
 * @example await postPayment(dependencies, 'loan_…', { amount: '305.00', idempotencyKey: 'pay-1', businessDate })
 */
export async function postPayment(dependencies: ServicingDependencies, loanId: string, request: PaymentRequest): Promise<IdempotentOutcome<ReturnType<typeof formatTransaction>>> {
  const requestBody = { amount: request.amount, date: request.date ?? null, note: request.note ?? null };
  if (!request.idempotencyKey) throw new LenityError('IDEMPOTENCY_KEY_REQUIRED', 'A payment needs an idempotency key', { field: 'Idempotency-Key' });
  const { scope, requestHash } = paymentIdempotency(loanId, request);
  // The latest payment of a loan takes two statements: one read, one guarded write. A concurrent
  // change makes the guard fail and the payment is computed again from fresh state; after a few
  // such races, or for a back-dated payment, the loan is locked and replayed instead.
  for (let attempt = 0; attempt < OPTIMISTIC_ATTEMPTS && !dependencies.db.isTransaction; attempt++) {
    const snapshot = await loadLoanSnapshot(dependencies.db, loanId, scope, request.idempotencyKey);
    if (!snapshot) throw new LenityError('NOT_FOUND', `Loan ${loanId} does not exist`);
    if (snapshot.idempotency) return replayedOutcome(snapshot.idempotency, requestHash, request.idempotencyKey);
    const change = latestPaymentChange(dependencies.ids, snapshot, request);
    if (!change) break;
    try {
      const written = await writeLoanChange(dependencies.db, change.write);
      if (written) return { outcome: 'created', status: 201, body: change.body };
    } catch (error) {
      // The same key committed first by a concurrent retry: the next pass returns its result.
      if (!isUniqueViolation(error, 'idempotency_record_pk')) throw error;
    }
  }
  return runIdempotent(dependencies.db, { scope, key: request.idempotencyKey, body: requestBody }, async (transaction) => {
    const loan = await lockLoan(transaction, loanId);
    assertAcceptsPayment(loan);
    const currency = loan.currency as CurrencyCode;
    const amountMinor = parseMoney(request.amount, currency, { field: 'amount', allowZero: false });
    const valueDate = paymentValueDate(loan, request);
    const transactionId = dependencies.ids('pay');
    await transaction
      .insertInto('loan_transaction')
      .values({ id: transactionId, loan_id: loanId, borrower_id: loan.borrower_id, kind: 'payment', value_date: valueDate, booked_on: request.businessDate, amount_minor: amountMinor, reversed_on: null, note: request.note ?? null })
      .execute();
    const allocation = await applyLoanEvent(transaction, dependencies.ids, loan, {
      businessDate: request.businessDate,
      eventDate: valueDate,
      kind: 'payment',
      description: `Payment ${transactionId} on loan ${loanId}`,
      transactionId,
      fastPath: (state, rules) => applyPayment(state, amountMinor, valueDate, rules),
    });
    if (allocation) await saveAllocations(transaction, [{ transactionId, allocation }]);
    const row = await transaction.selectFrom('loan_transaction').selectAll().where('id', '=', transactionId).executeTakeFirstOrThrow();
    return { status: 201, body: formatTransaction(row, currency) };
  });
}

/** Optimistic passes before a payment falls back to locking the loan. */
const OPTIMISTIC_ATTEMPTS = 4;

/** The idempotency scope of a loan's payments and the hash of a payment request. */
export function paymentIdempotency(loanId: string, request: Pick<PaymentRequest, 'amount' | 'date' | 'note'>): { scope: string; requestHash: string } {
  return { scope: `payment:${loanId}`, requestHash: hashRequest({ amount: request.amount, date: request.date ?? null, note: request.note ?? null }) };
}

/**
 * A payment that is the loan's latest event, computed from a snapshot of the loan: what to write
 * (loan, installments, transaction, journal entry, events, idempotency record) and the answer.
 * Null when the payment is dated before the loan's last event: that one replays the loan instead.
 * Throws a LenityError when the loan does not take the payment (status, amount, date).
 */
export function latestPaymentChange(ids: IdGenerator, snapshot: LoanSnapshot, request: PaymentRequest): { write: LoanChangeWrite; body: ReturnType<typeof formatTransaction> } | null {
  const { loan } = snapshot;
  assertAcceptsPayment(loan);
  const currency = loan.currency as CurrencyCode;
  const amountMinor = parseMoney(request.amount, currency, { field: 'amount', allowZero: false });
  const valueDate = paymentValueDate(loan, request);
  if (loan.last_transaction_date !== null && valueDate < loan.last_transaction_date) return null;
  const terms = parseDisbursedLoanTerms(loan);
  const before = loanStateFromRows(loan, snapshot.installments);
  const after = cloneLoanState(before);
  const allocation = applyPayment(after, amountMinor, valueDate, servicingRulesFor(terms));
  const transactionId = ids('pay');
  const body = formatTransaction(
    { id: transactionId, loan_id: loan.id, borrower_id: loan.borrower_id, kind: 'payment', value_date: valueDate, booked_on: request.businessDate, amount_minor: amountMinor,
      principal_minor: allocation.principalMinor, interest_minor: allocation.interestMinor, fee_minor: allocation.feeMinor, penalty_minor: allocation.penaltyMinor,
      overpayment_minor: allocation.overpaymentMinor, reversed_on: null, note: request.note ?? null, sequence: 0n, created_at: new Date(0) },
    currency,
  );
  const { scope, requestHash } = paymentIdempotency(loan.id, request);
  return {
    body,
    write: {
      ...loanChangeWrite(ids, loan, before, after, {
        businessDate: request.businessDate, kind: 'payment', description: `Payment ${transactionId} on loan ${loan.id}`, transactionId,
        lastEventDate: maxDate(loan.last_transaction_date as BusinessDate | null, valueDate), pauses: snapshot.pauses,
      }),
      newTransaction: { id: transactionId, kind: 'payment', valueDate, bookedOn: request.businessDate, amountMinor, allocation, note: request.note ?? null },
      idempotencyRecord: { scope, key: request.idempotencyKey, requestHash, status: 201, body },
    },
  };
}

function paymentValueDate(loan: LoanRow, request: PaymentRequest): BusinessDate {
  const valueDate = request.date ? parseBusinessDate(request.date, 'date') : request.businessDate;
  if (valueDate > request.businessDate) throw new LenityError('VALIDATION_FAILED', 'date: a payment cannot be dated in the future', { field: 'date' });
  if (valueDate < loan.disbursed_on!) throw new LenityError('VALIDATION_FAILED', 'date: a payment cannot be dated before the disbursement', { field: 'date' });
  return valueDate;
}

/** Reverses a payment (a bounced transfer, a mistake); every later payment is re-applied. */
export async function reversePayment(dependencies: ServicingDependencies, loanId: string, paymentId: string, request: { idempotencyKey: string; businessDate: BusinessDate; note?: string | null }) {
  return runIdempotent(dependencies.db, { scope: `reversal:${loanId}`, key: request.idempotencyKey, body: { paymentId, note: request.note ?? null } }, async (transaction) => {
    const loan = await lockLoan(transaction, loanId);
    if (loan.status === 'written-off') throw new LenityError('INVALID_STATE', 'The loan has been written off; its payments can no longer be reversed');
    const payment = await transaction.selectFrom('loan_transaction').selectAll().where('id', '=', paymentId).where('loan_id', '=', loanId).executeTakeFirst();
    if (!payment || payment.kind !== 'payment') throw new LenityError('NOT_FOUND', `Payment ${paymentId} does not exist on loan ${loanId}`, { field: 'paymentId' });
    if (payment.reversed_on !== null) throw new LenityError('INVALID_STATE', `Payment ${paymentId} was already reversed on ${payment.reversed_on}`);
    await transaction
      .updateTable('loan_transaction')
      .set({ reversed_on: request.businessDate, principal_minor: 0n, interest_minor: 0n, fee_minor: 0n, penalty_minor: 0n, overpayment_minor: 0n, note: request.note ?? payment.note })
      .where('id', '=', paymentId)
      .execute();
    await applyLoanEvent(transaction, dependencies.ids, loan, {
      businessDate: request.businessDate,
      eventDate: payment.value_date as BusinessDate,
      kind: 'reversal',
      description: `Reversal of payment ${paymentId} on loan ${loanId}`,
      transactionId: paymentId,
      fastPath: null,
    });
    const row = await transaction.selectFrom('loan_transaction').selectAll().where('id', '=', paymentId).executeTakeFirstOrThrow();
    return { status: 200, body: formatTransaction(row, loan.currency as CurrencyCode) };
  });
}

/** Adds a fee or penalty to the installment whose period contains its due date. */
export async function addCharge(
  dependencies: ServicingDependencies,
  loanId: string,
  request: { kind: 'fee' | 'penalty'; name: string; amount: string; dueDate?: string | null; idempotencyKey: string; businessDate: BusinessDate },
) {
  return runIdempotent(dependencies.db, { scope: `charge:${loanId}`, key: request.idempotencyKey, body: { kind: request.kind, name: request.name, amount: request.amount, dueDate: request.dueDate ?? null } }, async (transaction) => {
    const loan = await lockLoan(transaction, loanId);
    assertAcceptsMoney(loan);
    const currency = loan.currency as CurrencyCode;
    const amountMinor = parseMoney(request.amount, currency, { field: 'amount', allowZero: false });
    const dueDate = request.dueDate ? parseBusinessDate(request.dueDate, 'dueDate') : request.businessDate;
    const installments = await loadInstallments(transaction, loanId);
    const installmentNumber = installmentNumberFor(installments, dueDate);
    const chargeId = dependencies.ids('chg');
    await transaction
      .insertInto('loan_charge')
      .values({ id: chargeId, loan_id: loanId, borrower_id: loan.borrower_id, kind: request.kind, name: request.name, amount_minor: amountMinor, due_date: dueDate, installment_number: installmentNumber, charged_on: request.businessDate })
      .execute();
    await applyLoanEvent(transaction, dependencies.ids, loan, {
      businessDate: request.businessDate,
      eventDate: request.businessDate,
      kind: request.kind === 'fee' ? 'fee-charged' : 'penalty-charged',
      description: `${request.kind === 'fee' ? 'Fee' : 'Penalty'} "${request.name}" on loan ${loanId}`,
      transactionId: chargeId,
      fastPath: (state) => {
        applyCharge(state, { kind: request.kind, amountMinor, waivedMinor: 0n, installmentNumber });
        return null;
      },
      preloadedInstallments: installments,
    });
    return { status: 201, body: { id: chargeId, loanId, kind: request.kind, name: request.name, amount: formatMoney(amountMinor, currency), dueDate, installmentNumber, waived: formatMoney(0n, currency) } };
  });
}

/** Waives what is still owed of a fee or penalty (all of it unless an amount is given). */
export async function waiveCharge(dependencies: ServicingDependencies, loanId: string, chargeId: string, request: { amount?: string | null; idempotencyKey: string; businessDate: BusinessDate; reason: string }) {
  return runIdempotent(dependencies.db, { scope: `waiver:${loanId}`, key: request.idempotencyKey, body: { chargeId, amount: request.amount ?? null, reason: request.reason } }, async (transaction) => {
    const loan = await lockLoan(transaction, loanId);
    assertAcceptsMoney(loan);
    const currency = loan.currency as CurrencyCode;
    const charge = await transaction.selectFrom('loan_charge').selectAll().where('id', '=', chargeId).where('loan_id', '=', loanId).executeTakeFirst();
    if (!charge) throw new LenityError('NOT_FOUND', `Charge ${chargeId} does not exist on loan ${loanId}`, { field: 'chargeId' });
    const installments = await loadInstallments(transaction, loanId);
    const installment = installments.find((candidate) => candidate.number === charge.installment_number);
    const component = charge.kind === 'fee' ? 'fee' : 'penalty';
    const owedOnInstallment = installment ? outstandingOf(installment, component) : 0n;
    const chargeOpen = charge.amount_minor - charge.waived_minor;
    const waivable = owedOnInstallment < chargeOpen ? owedOnInstallment : chargeOpen;
    const amountMinor = request.amount ? parseMoney(request.amount, currency, { field: 'amount', allowZero: false }) : waivable;
    if (amountMinor <= 0n || amountMinor > waivable) {
      throw new LenityError('INVALID_STATE', `At most ${formatMoney(waivable > 0n ? waivable : 0n, currency)} of charge ${chargeId} is still owed and can be waived`, { field: 'amount' });
    }
    await transaction.updateTable('loan_charge').set({ waived_minor: charge.waived_minor + amountMinor }).where('id', '=', chargeId).execute();
    await applyLoanEvent(transaction, dependencies.ids, loan, {
      businessDate: request.businessDate,
      eventDate: request.businessDate,
      kind: 'waiver',
      description: `Waiver of ${formatMoney(amountMinor, currency)} on charge ${chargeId}: ${request.reason}`,
      transactionId: chargeId,
      fastPath: (state) => {
        const target = state.installments.find((candidate) => candidate.number === charge.installment_number)!;
        if (component === 'fee') target.feeWaivedMinor += amountMinor;
        else target.penaltyWaivedMinor += amountMinor;
        if (outstandingOf(target, 'principal') + outstandingOf(target, 'interest') + outstandingOf(target, 'fee') + outstandingOf(target, 'penalty') === 0n) {
          target.completedOn ??= request.businessDate;
        }
        return null;
      },
      preloadedInstallments: installments,
      // A waiver never moves the event horizon: it changes an amount, not the order of events.
      keepLastEventDate: true,
    });
    return { status: 200, body: { id: chargeId, loanId, waived: formatMoney(charge.waived_minor + amountMinor, currency), reason: request.reason } };
  });
}

/** Takes what is owed off the books: the receivables move to write-off expense. */
export async function writeOffLoan(dependencies: ServicingDependencies, loanId: string, request: { idempotencyKey: string; businessDate: BusinessDate; reason: string }) {
  return runIdempotent(dependencies.db, { scope: `write-off:${loanId}`, key: request.idempotencyKey, body: { reason: request.reason } }, async (transaction) => {
    const loan = await lockLoan(transaction, loanId);
    if (loan.status !== 'active') throw new LenityError('INVALID_STATE', `Loan ${loanId} is ${loan.status}; only an active loan can be written off`);
    const transactionId = dependencies.ids('pay');
    await transaction
      .insertInto('loan_transaction')
      .values({ id: transactionId, loan_id: loanId, borrower_id: loan.borrower_id, kind: 'write-off', value_date: request.businessDate, booked_on: request.businessDate, amount_minor: 0n, reversed_on: null, note: request.reason })
      .execute();
    await applyLoanEvent(transaction, dependencies.ids, loan, {
      businessDate: request.businessDate,
      eventDate: request.businessDate,
      kind: 'write-off',
      description: `Write-off of loan ${loanId}: ${request.reason}`,
      transactionId,
      fastPath: (state) => {
        applyWriteOff(state, request.businessDate);
        return null;
      },
    });
    const after = await findLoan(transaction, loanId);
    const writtenOffMinor = after!.written_off_principal_minor + after!.written_off_interest_minor + after!.written_off_fee_minor + after!.written_off_penalty_minor;
    await transaction.updateTable('loan_transaction').set({ amount_minor: writtenOffMinor, principal_minor: after!.written_off_principal_minor, interest_minor: after!.written_off_interest_minor, fee_minor: after!.written_off_fee_minor, penalty_minor: after!.written_off_penalty_minor }).where('id', '=', transactionId).execute();
    return { status: 200, body: await getLoan(transaction, loanId, request.businessDate) };
  });
}

/** Longest schedule a reschedule may give a loan (the schedule generator's own bound). */
const MAXIMUM_RESCHEDULED_INSTALLMENTS = 1200;

/**
 * Replaces what an active loan still owes by new installments from the business date (see
 * `applyReschedule`): a `reschedule` transaction is booked and its installments kept, so that a
 * later replay (a back-dated payment, a reversal) applies it again at its date. The difference in
 * interest receivable is posted as one balanced journal entry; the principal owed never changes.
 * Once per idempotency key.
 *
 * @example await rescheduleLoan(dependencies, 'loan_1', { installments, source: 'hardship:hdp_1', idempotencyKey: 'hardship:hdp_1', businessDate: '2026-03-10' })
 */
export async function rescheduleLoan(
  dependencies: ServicingDependencies,
  loanId: string,
  request: { installments: readonly ReamortizedInstallment[]; source: string; idempotencyKey: string; businessDate: BusinessDate; note?: string | null },
) {
  if (request.installments.length === 0 || request.installments.length > MAXIMUM_RESCHEDULED_INSTALLMENTS) {
    throw new LenityError('VALIDATION_FAILED', `installments: a reschedule needs 1 to ${MAXIMUM_RESCHEDULED_INSTALLMENTS} installments`, { field: 'installments' });
  }
  const stored = request.installments.map((row) => ({ fromDate: row.fromDate, dueDate: row.dueDate, principalMinor: row.principalMinor.toString(), interestMinor: row.interestMinor.toString() }));
  return runIdempotent(dependencies.db, { scope: `reschedule:${loanId}`, key: request.idempotencyKey, body: { installments: stored, source: request.source, note: request.note ?? null } }, async (transaction) => {
    const loan = await lockLoan(transaction, loanId);
    assertAcceptsMoney(loan);
    const transactionId = dependencies.ids('rsch');
    await transaction
      .insertInto('loan_transaction')
      .values({ id: transactionId, loan_id: loanId, borrower_id: loan.borrower_id, kind: 'reschedule', value_date: request.businessDate, booked_on: request.businessDate, amount_minor: 0n, reversed_on: null, note: request.note ?? request.source })
      .execute();
    await transaction.insertInto('loan_reschedule').values({ transaction_id: transactionId, loan_id: loanId, borrower_id: loan.borrower_id, installments: JSON.stringify(stored), source: request.source }).execute();
    await applyLoanEvent(transaction, dependencies.ids, loan, {
      businessDate: request.businessDate,
      eventDate: request.businessDate,
      kind: 'reschedule',
      description: `Reschedule ${transactionId} of loan ${loanId} (${request.source})`,
      transactionId,
      fastPath: (state) => {
        applyReschedule(state, request.businessDate, request.installments);
        return null;
      },
    });
    return { status: 200, body: { transactionId, loan: await getLoan(transaction, loanId, request.businessDate) } };
  });
}

/** What it takes to close the loan on `date`. */
export async function getPayoffQuote(db: Executor, loanId: string, date: BusinessDate) {
  const loan = await findLoan(db, loanId);
  if (!loan) throw new LenityError('NOT_FOUND', `Loan ${loanId} does not exist`);
  if (loan.status !== 'active') throw new LenityError('INVALID_STATE', `Loan ${loanId} is ${loan.status}; only an active loan has a payoff quote`);
  const terms = parseLoanTerms(loan.terms);
  const state = loanStateFromRows(loan, await loadInstallments(db, loanId));
  return formatPayoffQuote(payoffQuote(state, date, servicingRulesFor(terms)), loan.currency as CurrencyCode);
}

/** The loan with its schedule, balances and transactions. */
export async function getLoan(db: Executor, loanId: string, businessDate: BusinessDate) {
  const loan = await findLoan(db, loanId);
  if (!loan) throw new LenityError('NOT_FOUND', `Loan ${loanId} does not exist`);
  const currency = loan.currency as CurrencyCode;
  let installments = await loadInstallments(db, loanId);
  if (installments.length === 0 && (loan.status === 'submitted' || loan.status === 'approved')) {
    installments = initialInstallments(generateSchedule(parseLoanTerms(loan.terms).schedule));
  }
  const transactions = await db.selectFrom('loan_transaction').selectAll().where('loan_id', '=', loanId).orderBy('sequence').execute();
  const charges = await db.selectFrom('loan_charge').selectAll().where('loan_id', '=', loanId).orderBy('created_at').execute();
  return {
    ...formatLoanSummary(loan, businessDate),
    installments: installments.map((installment) => formatInstallment(installment, currency)),
    transactions: transactions.map((row) => formatTransaction(row, currency)),
    charges: charges.map((row) => ({
      id: row.id,
      kind: row.kind,
      name: row.name,
      amount: formatMoney(row.amount_minor, currency),
      waived: formatMoney(row.waived_minor, currency),
      dueDate: row.due_date,
      installmentNumber: row.installment_number,
      chargedOn: row.charged_on,
    })),
  };
}

/**
 * A down payment share in percent: at least 0 and below 100, since the scheduled installments must
 * repay something.
 *
 * @example parseDownPaymentPercent('25', 'downPaymentPercent') // 25 as a Fixed
 */
export function parseDownPaymentPercent(value: unknown, field: string): Fixed {
  const percent = parseDecimal(value, { field, maxPlaces: 6 });
  if (percent >= fixedFromInteger(100)) throw new LenityError('VALIDATION_FAILED', `${field}: must be below 100`, { field });
  return percent;
}

/** A charged-off loan stays collectible: it takes payments (recoveries), not new charges. */
function assertAcceptsPayment(loan: LoanRow): void {
  if (loan.status !== 'charged-off') assertAcceptsMoney(loan);
}

function assertAcceptsMoney(loan: LoanRow): void {
  if (loan.status !== 'active') {
    throw new LenityError('INVALID_STATE', `Loan ${loan.id} is ${loan.status}; it takes payments and charges only while active`);
  }
}

interface LoanEventChange {
  businessDate: BusinessDate;
  /** The date the event takes effect; before the last event's date, the loan is replayed. */
  eventDate: BusinessDate;
  kind: string;
  description: string;
  transactionId: string;
  /** Applies the event to the current state when it is the latest event; null forces a replay. */
  fastPath: ((state: LoanState, rules: ReturnType<typeof servicingRulesFor>) => Allocation | null) | null;
  preloadedInstallments?: Awaited<ReturnType<typeof loadInstallments>>;
  keepLastEventDate?: boolean;
}

/**
 * Applies one event to a locked loan. The latest event is applied to the stored state; an earlier
 * one (back-dated payment, reversal) replays every event from the original schedule, and payments
 * whose split changed are rewritten. Either way the ledger gets one entry for the difference.
 */
async function applyLoanEvent(transaction: Executor, ids: IdGenerator, loan: LoanRow, change: LoanEventChange): Promise<Allocation | null> {
  const terms = parseDisbursedLoanTerms(loan);
  const rules = servicingRulesFor(terms);
  const installments = change.preloadedInstallments ?? (await loadInstallments(transaction, loan.id));
  const before = loanStateFromRows(loan, installments);
  const replay = change.fastPath === null || (loan.last_transaction_date !== null && change.eventDate < loan.last_transaction_date);
  let after: LoanState;
  let allocation: Allocation | null = null;
  if (!replay) {
    after = cloneLoanState(before);
    allocation = change.fastPath!(after, rules);
  } else {
    const events: LoanEvent[] = await loadEvents(transaction, loan.id);
    const result = replayLoan(initialInstallments(generateSchedule(terms.schedule)), events, rules);
    after = result.state;
    allocation = result.allocations.get(change.transactionId) ?? null;
    const stored = await transaction
      .selectFrom('loan_transaction')
      .select(['id', 'principal_minor', 'interest_minor', 'fee_minor', 'penalty_minor', 'overpayment_minor'])
      .where('loan_id', '=', loan.id)
      .where('kind', '=', 'payment')
      .where('reversed_on', 'is', null)
      .execute();
    const changed = stored.flatMap((row) => {
      const next = result.allocations.get(row.id);
      if (!next || row.id === change.transactionId) return [];
      const same = next.principalMinor === row.principal_minor && next.interestMinor === row.interest_minor && next.feeMinor === row.fee_minor && next.penaltyMinor === row.penalty_minor && next.overpaymentMinor === row.overpayment_minor;
      return same ? [] : [{ transactionId: row.id, allocation: next }];
    });
    await saveAllocations(transaction, changed);
  }
  const lastEventDate = change.keepLastEventDate ? (loan.last_transaction_date as BusinessDate | null) : maxDate(loan.last_transaction_date as BusinessDate | null, change.eventDate);
  const pauses = await transaction.selectFrom('loan_ageing_pause').select(['from_date', 'until_date']).where('loan_id', '=', loan.id).orderBy('from_date').execute();
  await commitLoanChange(transaction, ids, loan, before, after, {
    businessDate: change.businessDate,
    kind: change.kind,
    description: change.description,
    transactionId: change.transactionId,
    lastEventDate,
    pauses: pauses.map((pause) => ({ from: pause.from_date as BusinessDate, until: pause.until_date as BusinessDate | null })),
  });
  return allocation;
}

function maxDate(a: BusinessDate | null, b: BusinessDate): BusinessDate {
  return a !== null && a > b ? a : b;
}

interface LoanChangeFacts {
  businessDate: BusinessDate;
  kind: string;
  description: string;
  transactionId: string;
  lastEventDate: BusinessDate | null;
  extra?: Record<string, string | bigint | number | null>;
  /** The loan's ageing pauses, for the immediate re-classification. */
  pauses?: readonly AgeingPause[];
}

/** What a change writes: the loan row's balances, status, classification and next event, the installments, the journal entry. */
function loanChangeWrite(ids: IdGenerator, loan: LoanRow, before: LoanState | null, after: LoanState, change: LoanChangeFacts): LoanChangeWrite {
  const chargedOffMinor = loan.charged_off_minor ?? 0n;
  const positionBefore = before ? ledgerPosition({ disbursedMinor: loan.disbursed_minor, chargedOffMinor, ...before }) : EMPTY_POSITION;
  const positionAfter = ledgerPosition({ disbursedMinor: loan.disbursed_minor, chargedOffMinor, ...after });
  const balances = outstandingBalances(after.installments);
  const writtenOff = after.writtenOffOn !== null;
  const settled = !writtenOff && isSettled(after);
  // A charged-off loan keeps that status until it is paid off (recoveries) or written off.
  const status = writtenOff ? 'written-off' : settled ? 'closed' : loan.charged_off_on !== null ? 'charged-off' : 'active';
  // A payment (or reversal) re-classifies the loan at once, as of the business date of the change.
  // Before disbursement the cached parse must not be used: the stored terms are about to change.
  const product = (loan.disbursed_on === null ? parseLoanTerms(loan.terms) : parseDisbursedLoanTerms(loan)).product;
  const ageing = writtenOff || settled
    ? { pastDueDays: 0, delinquentDays: 0, bucket: null }
    : loanAgeing(after.installments, change.businessDate, product.agingGraceDays, product.delinquencyRanges, change.pauses ?? []);
  const previousDelinquentDays = loan.delinquent_days ?? 0;
  const previousBucket = loan.bucket ?? null;
  const domainEvents: NonNullable<LoanChangeWrite['domainEvents']> = [];
  const eventPayload = { delinquentDays: ageing.delinquentDays, daysPastDue: ageing.pastDueDays, cause: change.kind };
  if (previousDelinquentDays === 0 && ageing.delinquentDays > 0) domainEvents.push({ id: ids('evt'), kind: 'loan.delinquent', payload: { ...eventPayload, bucket: ageing.bucket } });
  if (previousBucket !== ageing.bucket) domainEvents.push({ id: ids('evt'), kind: 'loan.bucket_changed', payload: { ...eventPayload, from: previousBucket, to: ageing.bucket } });
  if (previousDelinquentDays > 0 && ageing.pastDueDays === 0) domainEvents.push({ id: ids('evt'), kind: 'loan.cured', payload: { ...eventPayload, from: previousBucket } });
  const nextEventDate = nextEventAfterChange({ installments: after.installments, businessDate: change.businessDate, status });
  return {
    loanId: loan.id,
    borrowerId: loan.borrower_id,
    expectedVersion: loan.version,
    loanColumns: {
      status,
      closed_on: status === 'active' || status === 'charged-off' ? null : (loan.closed_on ?? change.businessDate),
      principal_outstanding_minor: balances.principalMinor - after.writtenOff.principalMinor,
      interest_outstanding_minor: balances.interestMinor - after.writtenOff.interestMinor,
      fee_outstanding_minor: balances.feeMinor - after.writtenOff.feeMinor,
      penalty_outstanding_minor: balances.penaltyMinor - after.writtenOff.penaltyMinor,
      overpayment_minor: after.overpaymentMinor,
      received_minor: after.receivedMinor,
      written_off_principal_minor: after.writtenOff.principalMinor,
      written_off_interest_minor: after.writtenOff.interestMinor,
      written_off_fee_minor: after.writtenOff.feeMinor,
      written_off_penalty_minor: after.writtenOff.penaltyMinor,
      written_off_on: after.writtenOffOn,
      oldest_unpaid_due_date: writtenOff ? null : oldestUnpaidDueDate(after.installments),
      last_transaction_date: change.lastEventDate,
      next_event_date: nextEventDate,
      days_past_due: ageing.pastDueDays,
      delinquent_days: ageing.delinquentDays,
      bucket: ageing.bucket,
      // A loan back to current has left non-accrual; end of day, which no longer visits it that night, would have said the same.
      non_accrual_on: ageing.pastDueDays === 0 ? null : loan.non_accrual_on,
      ...(change.extra ?? {}),
    },
    installmentsBefore: before?.installments ?? [],
    installmentsAfter: after.installments,
    journal: {
      entryId: ids('je'),
      context: { loanId: loan.id, borrowerId: loan.borrower_id, currency: loan.currency, businessDate: change.businessDate, kind: change.kind, transactionId: change.transactionId },
      entry: positionChangeEntry(change.description, positionBefore, positionAfter),
    },
    domainEvents,
  };
}

/**
 * Writes a loan's new state — installments, balances and status, one balanced journal entry for
 * the difference in ledger position — in one statement inside the caller's transaction (which
 * holds the loan's lock, so the version guard always passes).
 */
async function commitLoanChange(transaction: Executor, ids: IdGenerator, loan: LoanRow, before: LoanState | null, after: LoanState, change: LoanChangeFacts): Promise<void> {
  const written = await writeLoanChange(transaction, loanChangeWrite(ids, loan, before, after, change));
  if (!written) throw new LenityError('CONFLICT', `Loan ${loan.id} changed concurrently; retry`);
}

/** Reads the payment body of the API: amount, optional value date, note. */
export function parsePaymentBody(json: unknown): { amount: string; date: string | null; note: string | null } {
  const body = readObject(json, '', ['amount', 'date', 'note']);
  return { amount: readString(body, 'amount', ''), date: readOptionalString(body, 'date', ''), note: readOptionalString(body, 'note', '') };
}

export function parseChargeBody(json: unknown): { kind: 'fee' | 'penalty'; name: string; amount: string; dueDate: string | null } {
  const body = readObject(json, '', ['kind', 'name', 'amount', 'dueDate']);
  return { kind: readEnum(body, 'kind', '', ['fee', 'penalty'] as const), name: readString(body, 'name', '', 'Fee'), amount: readString(body, 'amount', ''), dueDate: readOptionalString(body, 'dueDate', '') };
}

