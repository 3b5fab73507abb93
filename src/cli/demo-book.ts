import type { DatabaseHandle } from '../db/database.ts';
import { createApiKey } from '../http/auth.ts';
import { createUser } from '../identity/identity.service.ts';
import type { Role } from '../http/permissions.ts';
import { openLoansInBulk } from '../lending/bulk.service.ts';
import { getProduct, createProduct } from '../lending/product.service.ts';
import { syntheticBorrower } from '../lending/synthetic-borrowers.ts';
import { postPayment } from '../lending/loan.service.ts';
import { loadInstallments } from '../lending/loan.store.ts';
import { installmentOutstanding } from '../lending/loan-state.ts';
import type { Jurisdiction } from '../lending/borrower.ts';
import { addDays, type BusinessDate } from '../shared/business-date.ts';
import type { CurrencyCode } from '../shared/currency.ts';
import type { IdGenerator } from '../shared/ids.ts';
import { formatMoney } from '../shared/money.ts';
import type { Random } from '../shared/random.ts';
import type { DemoCollectionsInput } from './demo-collections.ts';

/** Products a lender in each jurisdiction might sell, within that jurisdiction's rate ceiling. */
export const DEMO_PRODUCTS: Array<{ jurisdiction: Jurisdiction; definition: Record<string, unknown> }> = [
  {
    jurisdiction: 'CN',
    definition: {
      name: '信用贷 12期 (CN personal loan)',
      terms: { currency: 'CNY', annualRate: '18', numberOfRepayments: 12 },
      principalRange: { min: '1000.00', max: '200000.00' },
      repaymentsRange: { min: 6, max: 36 },
      originationFee: { percent: '0.5' },
      lateFee: { percent: '5', capPerInstallment: '200.00' },
      penaltyAnnualRate: '6',
      prepayment: 'reduce-term',
      earlyPayoffInterest: 'accrued',
      rateCap: '24',
    },
  },
  {
    jurisdiction: 'US',
    definition: {
      name: 'US installment loan',
      terms: { currency: 'USD', annualRate: '24.9', numberOfRepayments: 12 },
      principalRange: { min: '1500.00', max: '15000.00' },
      repaymentsRange: { min: 12, max: 36 },
      originationFee: { amount: '20.00' },
      lateFee: { amount: '15.00', capPerLoan: '90.00' },
      prepayment: 'reduce-installment',
      earlyPayoffInterest: 'accrued',
      rateCap: '36',
    },
  },
  {
    jurisdiction: 'UK',
    definition: {
      name: 'UK personal loan',
      terms: { currency: 'GBP', annualRate: '24.9', numberOfRepayments: 12 },
      principalRange: { min: '250.00', max: '10000.00' },
      repaymentsRange: { min: 3, max: 36 },
      lateFee: { amount: '12.00', capPerLoan: '36.00' },
      prepayment: 'reduce-term',
      earlyPayoffInterest: 'accrued',
      rateCap: '100',
    },
  },
];

/** Well-known demo keys, printed by `lenity start`; a real deployment creates its own. */
export const DEMO_KEYS: Array<{ role: Role; secret: string }> = [
  { role: 'admin', secret: 'lnty_demo_admin' },
  { role: 'supervisor', secret: 'lnty_demo_supervisor' },
  { role: 'agent', secret: 'lnty_demo_agent' },
  { role: 'field-agent', secret: 'lnty_demo_field_agent' },
  { role: 'compliance', secret: 'lnty_demo_compliance' },
  { role: 'integration', secret: 'lnty_demo_integration' },
];

export const DEMO_BORROWER_KEY = 'lnty_demo_borrower';

/** The one password of every demo user (documented in the README); a real deployment creates its own users. */
export const DEMO_PASSWORD = 'lenity-demo';

/** Demo users, one per role; the demo key of the same role acts as the same user. */
export const DEMO_USERS: Array<{ username: string; role: Role; displayName: string; preferredLanguage: 'zh-CN' | 'en' }> = [
  { username: 'admin', role: 'admin', displayName: '管理员 Admin', preferredLanguage: 'zh-CN' },
  { username: 'supervisor', role: 'supervisor', displayName: '主管 Supervisor', preferredLanguage: 'zh-CN' },
  { username: 'agent', role: 'agent', displayName: '催收员 Agent', preferredLanguage: 'zh-CN' },
  { username: 'field-agent', role: 'field-agent', displayName: '外访员 Field agent', preferredLanguage: 'zh-CN' },
  { username: 'compliance', role: 'compliance', displayName: '合规专员 Compliance', preferredLanguage: 'zh-CN' },
  { username: 'borrower', role: 'borrower', displayName: '借款人 Borrower', preferredLanguage: 'zh-CN' },
];

/**
 * Seeds a demo portfolio: three products, `loansPerProduct` loans each disbursed over the last
 * 150 days, and payment histories from behaviour profiles (always on time, sometimes late,
 * chronically late, stopped paying), all through the real services. The payments of the last
 * `collectionsDays` days (default 90) are not made here: they are returned in `collections`, the plan
 * `simulateDemoCollections` lives through day by day with collections at work.
 */
export async function seedDemoBook(handle: DatabaseHandle, ids: IdGenerator, random: Random, today: BusinessDate, options: DemoBookOptions = {}) {
  // All or nothing: a half-seeded book would never be completed, since seeding skips a database with products.
  return handle.db.transaction().execute((transaction) => seedInTransaction({ ...handle, db: transaction }, ids, random, today, options));
}

export interface DemoBookOptions {
  loansPerProduct?: number;
  /** Days of collections lived through at the end (0: none). */
  collectionsDays?: number;
  progress?: (message: string) => void;
}

async function seedInTransaction(handle: DatabaseHandle, ids: IdGenerator, random: Random, today: BusinessDate, options: DemoBookOptions) {
  const loansPerProduct = options.loansPerProduct ?? 60;
  const collectionsDays = options.collectionsDays ?? 90;
  // Payments from this date on are made during the simulation, on their day, after the days before ran.
  const simulateFrom = collectionsDays > 0 ? addDays(today, -collectionsDays) : null;
  const scheduledPayments: DemoCollectionsInput['scheduledPayments'] = new Map();
  const actingIds = new Map<string, string>();
  const stoppedPaying = new Set<string>();
  const progress = options.progress ?? (() => {});
  const existing = await handle.db.selectFrom('product').select('id').limit(1).execute();
  if (existing.length > 0) return { seeded: false as const, collections: null };
  const userIdByRole = new Map<Role, string>();
  for (const user of DEMO_USERS.filter((candidate) => candidate.role !== 'borrower')) {
    userIdByRole.set(user.role, (await createUser({ db: handle.db, ids }, { ...user, password: DEMO_PASSWORD })).id);
  }
  for (const key of DEMO_KEYS) {
    const userId = userIdByRole.get(key.role) ?? null;
    const created = await createApiKey(handle.db, ids, { name: `demo ${key.role}`, role: key.role, secret: key.secret, userId });
    // The acting id: the person's when a person is behind the key, so the demo agent's cases are the
    // same whether they sign in on the web or call the API with the key.
    actingIds.set(key.role, userId ?? created.id);
  }
  const services = { db: handle.db, ids };
  let firstBorrowerId: string | null = null;
  let paymentCount = 0;
  for (const { jurisdiction, definition } of DEMO_PRODUCTS) {
    const created = await createProduct(handle.db, ids, definition, today);
    const product = (await getProduct(handle.db, created.id)).product;
    const loans = Array.from({ length: loansPerProduct }, () => ({
      borrower: syntheticBorrower(random, jurisdiction),
      // Whole hundreds of the currency, from the product's minimum to a fifth of its maximum.
      principalMinor: BigInt(random.integerBetween(Number((product.principalMinimumMinor + 9999n) / 10000n), Number(product.principalMaximumMinor / 50000n))) * 10000n,
      numberOfRepayments: Math.max(product.repaymentsMinimum, random.pick([6, 12, 12, 12, 24])),
      disbursementDate: addDays(today, -random.integerBetween(20, 150)),
    }));
    const loanIds = await openLoansInBulk(handle.db, ids, { productId: created.id, product, loans });
    progress(`${jurisdiction}: ${loanIds.length} loans opened`);
    for (const loanId of loanIds) {
      const profile = random.next();
      // Behaviour profiles: 55% on time, 20% a few days late, 15% chronically late, 10% stopped paying.
      const lateDays = profile < 0.55 ? 0 : profile < 0.75 ? random.integerBetween(1, 9) : profile < 0.9 ? random.integerBetween(10, 45) : null;
      const stopsAfter = lateDays === null ? random.integerBetween(0, 2) : Number.POSITIVE_INFINITY;
      if (lateDays === null) stoppedPaying.add(loanId);
      const installments = await loadInstallments(handle.db, loanId);
      let paid = 0;
      for (const installment of installments) {
        const payOn = addDays(installment.dueDate, lateDays ?? 0);
        if (payOn > today || paid >= stopsAfter) break;
        const amountMinor = installmentOutstanding(installment);
        if (amountMinor <= 0n) continue;
        if (simulateFrom !== null && payOn >= simulateFrom) {
          scheduledPayments.set(payOn, [...(scheduledPayments.get(payOn) ?? []), { loanId, currency: product.terms.currency as CurrencyCode, what: 'next-installment' }]);
          paid++;
          continue;
        }
        await postPayment(services, loanId, { amount: formatMoney(amountMinor, product.terms.currency as CurrencyCode), date: payOn, idempotencyKey: `demo-${loanId}-${installment.number}`, businessDate: today });
        paid++;
        paymentCount++;
      }
    }
    if (!firstBorrowerId) {
      const first = await handle.db.selectFrom('loan').select('borrower_id').where('id', '=', loanIds[0]!).executeTakeFirstOrThrow();
      firstBorrowerId = first.borrower_id;
    }
    progress(`${jurisdiction}: payment histories written`);
  }
  const borrowerUser = DEMO_USERS.find((user) => user.role === 'borrower')!;
  const borrower = await createUser({ db: handle.db, ids }, { ...borrowerUser, password: DEMO_PASSWORD, borrowerId: firstBorrowerId });
  await createApiKey(handle.db, ids, { name: 'demo borrower', role: 'borrower', borrowerId: firstBorrowerId, secret: DEMO_BORROWER_KEY, userId: borrower.id });
  const collections = simulateFrom === null ? null : {
    scheduledPayments, stoppedPaying, agentId: actingIds.get('agent')!, fieldAgentId: actingIds.get('field-agent')!, supervisorId: actingIds.get('supervisor')!, days: collectionsDays, today,
  } satisfies Omit<DemoCollectionsInput, 'timeZone'>;
  return { seeded: true as const, loans: loansPerProduct * DEMO_PRODUCTS.length, payments: paymentCount, borrowerId: firstBorrowerId, collections };
}
