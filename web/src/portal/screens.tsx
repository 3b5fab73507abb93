import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { api, ApiError, newIdempotencyKey } from '../shell/api.ts';
import type { Screen } from '../shell/areas.ts';
import { BusinessDateText, DataTable, Empty, ErrorMessage, Field, Loaded, Money, Page, useLoad } from '../shell/components.tsx';
import { formatMoney } from '../shell/format.ts';

/** The borrower portal: a borrower's own loans, schedule and balances, payments and payoff quote. */

interface Balances {
  principal: string;
  interest: string;
  fees: string;
  penalties: string;
  total: string;
}

interface LoanSummary {
  id: string;
  currency: string;
  principal: string;
  status: string;
  apr: string | null;
  disbursedOn: string | null;
  outstanding: Balances;
  overpayment: string;
  oldestUnpaidDueDate: string | null;
  pastDueDays: number;
}

interface Installment {
  number: number;
  dueDate: string;
  total: string;
  paid: string;
  outstanding: string;
  completedOn: string | null;
}

interface Allocation {
  principal: string;
  interest: string;
  fees: string;
  penalties: string;
  overpayment: string;
}

interface Transaction {
  id: string;
  kind: string;
  date: string;
  amount: string;
  allocation: Allocation;
  reversedOn: string | null;
}

interface LoanDetail extends LoanSummary {
  installments: Installment[];
  transactions: Transaction[];
}

interface PayoffQuote extends Balances {
  date: string;
}

const isPositive = (amount: string) => /[1-9]/.test(amount) && !amount.startsWith('-');

function addDays(date: string, days: number): string {
  const instant = new Date(`${date}T00:00:00Z`);
  instant.setUTCDate(instant.getUTCDate() + days);
  return instant.toISOString().slice(0, 10);
}

function StatusBadge({ loan }: { loan: LoanSummary }) {
  const { t } = useTranslation('portal');
  if (loan.status === 'active' && loan.pastDueDays > 0) return <span className="badge late">{t('myLoans.pastDue', { count: loan.pastDueDays })}</span>;
  if (loan.status === 'active') return <span className="badge">{t('myLoans.onTrack')}</span>;
  return <span className="badge">{t(`status.${loan.status}`, { defaultValue: loan.status })}</span>;
}

function MyLoansScreen() {
  const { t } = useTranslation('portal');
  const loans = useLoad(() => api.get<{ items: LoanSummary[] }>('/v1/loans?limit=50'), []);
  return (
    <Page title={t('myLoans.title')}>
      <Loaded state={loans}>
        {(data) => data.items.length === 0 ? <Empty>{t('myLoans.none')}</Empty> : (
          <div className="cards">
            {data.items.map((loan) => (
              <article key={loan.id} className="card" aria-labelledby={`loan-${loan.id}`}>
                <h2 id={`loan-${loan.id}`}><Money amount={loan.principal} currency={loan.currency} /></h2>
                <StatusBadge loan={loan} />
                <dl className="summary">
                  <div><dt>{t('myLoans.outstanding')}</dt><dd><Money amount={loan.outstanding.total} currency={loan.currency} /></dd></div>
                  <div><dt>{t('myLoans.disbursedOn')}</dt><dd><BusinessDateText date={loan.disbursedOn} /></dd></div>
                </dl>
                <p><Link to={`/portal/loans/${loan.id}`}>{t('myLoans.open')}</Link></p>
              </article>
            ))}
          </div>
        )}
      </Loaded>
    </Page>
  );
}

function Balances({ balances, currency, overpayment }: { balances: Balances; currency: string; overpayment?: string }) {
  const { t } = useTranslation('portal');
  const parts: Array<[string, string]> = [
    ['loan.principal', balances.principal], ['loan.interest', balances.interest], ['loan.fees', balances.fees], ['loan.penalties', balances.penalties], ['loan.total', balances.total],
  ];
  if (overpayment && isPositive(overpayment)) parts.push(['loan.overpayment', overpayment]);
  return (
    <dl className="summary">
      {parts.map(([key, amount]) => <div key={key}><dt>{t(key)}</dt><dd><Money amount={amount} currency={currency} /></dd></div>)}
    </dl>
  );
}

function LoanScreen() {
  const { t } = useTranslation('portal');
  const { loanId = '' } = useParams();
  const loan = useLoad(() => api.get<LoanDetail>(`/v1/loans/${encodeURIComponent(loanId)}`), [loanId]);
  return (
    <Page title={t('loan.title')} actions={<Link to="/portal/loans">{t('loan.back')}</Link>}>
      <Loaded state={loan}>
        {(data) => {
          const businessDate = data.oldestUnpaidDueDate && data.pastDueDays > 0 ? addDays(data.oldestUnpaidDueDate, data.pastDueDays) : null;
          const stateOf = (installment: Installment) =>
            installment.completedOn ? t('loan.installmentPaid') : businessDate && installment.dueDate < businessDate ? t('loan.installmentOverdue') : t('loan.installmentUpcoming');
          const payments = data.transactions.filter((transaction) => transaction.kind === 'payment');
          return (
            <>
              <section className="card" aria-labelledby="balances">
                <h2 id="balances"><Money amount={data.principal} currency={data.currency} /> · <StatusBadge loan={data} /></h2>
                <h3>{t('loan.balances')}</h3>
                <Balances balances={data.outstanding} currency={data.currency} overpayment={data.overpayment} />
                {data.apr ? <p>{t('loan.apr')}: {data.apr}%</p> : null}
                {data.status === 'active' ? (
                  <p className="page-actions">
                    <Link className="button primary" to={`/portal/loans/${data.id}/pay`}>{t('loan.pay')}</Link>
                    <Link className="button" to={`/portal/loans/${data.id}/payoff`}>{t('loan.payoff')}</Link>
                  </p>
                ) : null}
                {data.disbursedOn ? (
                  <p className="page-actions">
                    {data.status === 'active' ? <Link className="button" to={`/portal/loans/${data.id}/hardship`}>{t('requests.hardship')}</Link> : null}
                    <Link className="button" to={`/portal/loans/${data.id}/dispute`}>{t('requests.dispute')}</Link>
                  </p>
                ) : null}
              </section>
              <h2>{t('loan.schedule')}</h2>
              <DataTable
                caption={t('loan.scheduleCaption')}
                rows={data.installments}
                rowKey={(installment) => String(installment.number)}
                columns={[
                  { key: 'number', header: t('loan.number'), cell: (installment) => installment.number },
                  { key: 'due-date', header: t('loan.dueDate'), cell: (installment) => <BusinessDateText date={installment.dueDate} /> },
                  { key: 'due', header: t('loan.due'), numeric: true, cell: (installment) => <Money amount={installment.total} currency={data.currency} /> },
                  { key: 'paid', header: t('loan.paid'), numeric: true, cell: (installment) => <Money amount={installment.paid} currency={data.currency} /> },
                  { key: 'left', header: t('loan.left'), numeric: true, cell: (installment) => <Money amount={installment.outstanding} currency={data.currency} /> },
                  { key: 'state', header: t('loan.state'), cell: stateOf },
                ]}
              />
              <h2>{t('loan.payments')}</h2>
              <DataTable
                caption={t('loan.paymentsCaption')}
                rows={[...payments].reverse()}
                rowKey={(transaction) => transaction.id}
                columns={[
                  { key: 'date', header: t('loan.date'), cell: (transaction) => <BusinessDateText date={transaction.date} /> },
                  { key: 'amount', header: t('loan.amount'), numeric: true, cell: (transaction) => <Money amount={transaction.amount} currency={data.currency} /> },
                  { key: 'state', header: t('loan.state'), cell: (transaction) => (transaction.reversedOn ? t('loan.reversed') : '') },
                ]}
              />
            </>
          );
        }}
      </Loaded>
    </Page>
  );
}

function AllocationTable({ allocation, currency }: { allocation: Allocation; currency: string }) {
  const { t } = useTranslation('portal');
  const rows: Array<[string, string]> = [
    ['loan.penalties', allocation.penalties], ['loan.fees', allocation.fees], ['loan.interest', allocation.interest], ['loan.principal', allocation.principal], ['loan.overpayment', allocation.overpayment],
  ];
  return (
    <DataTable
      caption={t('pay.allocationCaption')}
      rows={rows.filter(([, amount]) => isPositive(amount))}
      rowKey={([key]) => key}
      columns={[
        { key: 'part', header: t('pay.part'), cell: ([key]) => t(key) },
        { key: 'amount', header: t('loan.amount'), numeric: true, cell: ([, amount]) => <Money amount={amount} currency={currency} /> },
      ]}
    />
  );
}

function PayScreen() {
  const { t, i18n } = useTranslation('portal');
  const { loanId = '' } = useParams();
  const [search] = useSearchParams();
  const loan = useLoad(() => api.get<LoanDetail>(`/v1/loans/${encodeURIComponent(loanId)}`), [loanId]);
  const [amount, setAmount] = useState<string | null>(search.get('amount'));
  const [invalid, setInvalid] = useState(false);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [paid, setPaid] = useState<Transaction | null>(null);
  // One key per payment the borrower means to make: a retry after a lost answer reuses it, so the
  // money moves once; a changed amount is a different payment and gets a new key.
  const attempt = useRef<{ amount: string; key: string } | null>(null);

  const submit = async (event: FormEvent, value: string) => {
    event.preventDefault();
    const normalized = value.trim();
    if (!/^\d+(\.\d+)?$/.test(normalized) || !isPositive(normalized)) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    if (attempt.current?.amount !== normalized) attempt.current = { amount: normalized, key: newIdempotencyKey() };
    setSending(true);
    setError(null);
    try {
      const transaction = await api.post<Transaction>(`/v1/loans/${encodeURIComponent(loanId)}/payments`, { amount: normalized }, { idempotencyKey: attempt.current.key });
      attempt.current = null;
      setPaid(transaction);
      loan.reload();
    } catch (caught) {
      // A refusal (not a lost answer) will not change on retry: the next try is a new payment.
      if (caught instanceof ApiError && caught.status >= 400 && caught.status < 500) attempt.current = null;
      setError(caught);
    } finally {
      setSending(false);
    }
  };

  return (
    <Page title={t('pay.title')} actions={<Link to={`/portal/loans/${loanId}`}>{t('pay.backToLoan')}</Link>}>
      <Loaded state={loan}>
        {(data) => {
          if (paid) {
            return (
              <div>
                <p className="success" role="status">{t('pay.done', { amount: formatMoney(paid.amount, data.currency, i18n.language) })}</p>
                <h2>{t('pay.allocation')}</h2>
                <AllocationTable allocation={paid.allocation} currency={data.currency} />
                <h2>{t('loan.balances')}</h2>
                <Balances balances={data.outstanding} currency={data.currency} overpayment={data.overpayment} />
                <p className="page-actions">
                  <button type="button" onClick={() => { setPaid(null); setAmount(''); }}>{t('pay.another')}</button>
                  <Link to={`/portal/loans/${loanId}`}>{t('pay.backToLoan')}</Link>
                </p>
              </div>
            );
          }
          const next = data.installments.find((installment) => !installment.completedOn && isPositive(installment.outstanding));
          const value = amount ?? next?.outstanding ?? '';
          return (
            <form onSubmit={(event) => void submit(event, value)} noValidate>
              <Balances balances={data.outstanding} currency={data.currency} />
              <Field label={t('pay.amount', { currency: data.currency })} hint={t('pay.amountHint')} error={invalid ? t('pay.invalidAmount') : null}>
                {(props) => <input {...props} name="amount" inputMode="decimal" autoComplete="off" value={value} onChange={(event) => setAmount(event.target.value)} />}
              </Field>
              {error ? <ErrorMessage error={error} /> : null}
              <button type="submit" className="primary" disabled={sending}>{sending ? t('pay.submitting') : t('pay.submit')}</button>
            </form>
          );
        }}
      </Loaded>
    </Page>
  );
}

function PayoffScreen() {
  const { t, i18n } = useTranslation('portal');
  const { loanId = '' } = useParams();
  const loan = useLoad(() => api.get<LoanSummary>(`/v1/loans/${encodeURIComponent(loanId)}`), [loanId]);
  const quote = useLoad(() => api.get<PayoffQuote>(`/v1/loans/${encodeURIComponent(loanId)}/payoff-quote`), [loanId]);
  return (
    <Page title={t('payoff.title')} actions={<Link to={`/portal/loans/${loanId}`}>{t('pay.backToLoan')}</Link>}>
      <Loaded state={loan}>
        {(summary) => summary.status !== 'active' ? <Empty>{t('payoff.notActive')}</Empty> : (
          <Loaded state={quote}>
            {(data) => (
              <section className="card">
                <p>{t('payoff.intro', { date: new Intl.DateTimeFormat(i18n.language, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${data.date}T00:00:00Z`)) })}</p>
                <Balances balances={data} currency={summary.currency} />
                <p><Link className="button primary" to={`/portal/loans/${loanId}/pay?amount=${encodeURIComponent(data.total)}`}>{t('payoff.payThis')}</Link></p>
              </section>
            )}
          </Loaded>
        )}
      </Loaded>
    </Page>
  );
}

const BORROWERS = ['borrower'] as const;

export const screens: Screen[] = [
  { path: '/portal/loans', area: 'portal', permission: 'loans:read', roles: BORROWERS, titleKey: 'portal:myLoans.title', navigation: true, component: MyLoansScreen },
  { path: '/portal/loans/:loanId', area: 'portal', permission: 'loans:read', roles: BORROWERS, titleKey: 'portal:loan.title', component: LoanScreen },
  { path: '/portal/loans/:loanId/pay', area: 'portal', permission: 'payments:write', roles: BORROWERS, titleKey: 'portal:pay.title', component: PayScreen },
  { path: '/portal/loans/:loanId/payoff', area: 'portal', permission: 'loans:read', roles: BORROWERS, titleKey: 'portal:payoff.title', component: PayoffScreen },
];
