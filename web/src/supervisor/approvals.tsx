import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, newIdempotencyKey } from '../shell/api.ts';
import type { Screen } from '../shell/areas.ts';
import { BusinessDateText, DataTable, Empty, ErrorMessage, Field, Loaded, Money, Page, useLoad } from '../shell/components.tsx';
import './supervisor.css';

interface Borrower { name: string; phone: string | null; address: string | null; masked: boolean }
interface Visit {
  id: string; caseId: string; status: string; requestedBy: string; requestedOn: string; loanId: string; agentId: string | null; lastRightPartyContactOn: string | null;
  daysPastDue: number; jurisdiction: string; currency: string; outstanding: string; borrower: Borrower;
}
interface Collector { agentId: string; displayName: string; region: string | null; active: boolean; certification: { status: string } }
interface Installment { number: number; dueDate: string; principal: string; interest: string; total: string }
interface HardshipRequest {
  id: string; loanId: string; status: string; reason: string; currency: string; income: string; expenses: string; plan: { kind: string; months: number };
  requestedBy: string; requestedOn: string;
  proposal: {
    startsOn: string; installments: Installment[]; principalOwed: string; arrears: string; dueWithoutPlan: string; firstPayment: string; largestPayment: string; totalInterest: string;
    affordability: { verdict: 'affordable' | 'unaffordable'; disposable: string; largestPayment: string };
  };
}

/** One key per user action, kept while the same action is retried (a lost answer is not a second decision). */
function useActionKey() {
  const attempt = useRef<{ action: string; key: string } | null>(null);
  return (action: string) => {
    if (attempt.current?.action !== action) attempt.current = { action, key: newIdempotencyKey() };
    return attempt.current.key;
  };
}

function VisitDecision({ visit, collectors, onDone }: { visit: Visit; collectors: Collector[]; onDone: (message: string) => void }) {
  const { t } = useTranslation('supervisor');
  const [chosen, setChosen] = useState<string[]>([]);
  const [others, setOthers] = useState('');
  const [slot, setSlot] = useState('');
  const [reason, setReason] = useState('');
  const [invalid, setInvalid] = useState<{ collectors?: string; reason?: string }>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const keyFor = useActionKey();
  const fieldCollectors = collectors.filter((collector) => collector.active && collector.region !== null);

  async function send(action: 'approve' | 'reject') {
    const ids = [...chosen, ...others.split(/[\s,，]+/).filter(Boolean)];
    if (action === 'approve' && ids.length === 0) return setInvalid({ collectors: t('approvals.visits.chooseCollectors') });
    if (action === 'reject' && reason.trim() === '') return setInvalid({ reason: t('approvals.reasonRequired') });
    setInvalid({});
    const body = action === 'approve' ? { collectors: ids, ...(slot ? { slot: new Date(slot).toISOString() } : {}) } : { reason: reason.trim() };
    setBusy(true);
    setError(null);
    try {
      await api.post(`/v1/collections/visits/${visit.id}/${action}`, body, { idempotencyKey: keyFor(`${action}:${JSON.stringify(body)}`) });
      onDone(action === 'approve' ? t('approvals.visits.approved', { borrower: visit.borrower.name }) : t('approvals.visits.rejected', { borrower: visit.borrower.name }));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <article className="card request" aria-labelledby={`visit-${visit.id}`}>
      <h3 id={`visit-${visit.id}`}>{t('approvals.visits.for', { borrower: visit.borrower.name, dpd: visit.daysPastDue })}</h3>
      <dl className="summary">
        <div><dt>{t('approvals.visits.address')}</dt><dd>{visit.borrower.address ?? '—'}</dd></div>
        <div><dt>{t('approvals.outstanding')}</dt><dd><Money amount={visit.outstanding} currency={visit.currency} /></dd></div>
        <div><dt>{t('approvals.visits.lastContact')}</dt><dd>{visit.lastRightPartyContactOn ? <BusinessDateText date={visit.lastRightPartyContactOn} /> : t('approvals.visits.never')}</dd></div>
        <div><dt>{t('approvals.visits.requested')}</dt><dd><BusinessDateText date={visit.requestedOn} /> · {visit.requestedBy}</dd></div>
      </dl>
      {error ? <ErrorMessage error={error} /> : null}
      <fieldset>
        <legend>{t('approvals.visits.collectors')}</legend>
        {fieldCollectors.length > 0 ? (
          <ul className="checkbox-list">
            {fieldCollectors.map((collector) => (
              <li key={collector.agentId}>
                <label>
                  <input type="checkbox" checked={chosen.includes(collector.agentId)} onChange={(event) => setChosen(event.target.checked ? [...chosen, collector.agentId] : chosen.filter((id) => id !== collector.agentId))} />
                  {' '}{collector.displayName} · {collector.region} · {t(`roster.certification.${collector.certification.status}`)}
                </label>
              </li>
            ))}
          </ul>
        ) : <p className="hint">{t('approvals.visits.noFieldCollectors')}</p>}
        <Field label={t('approvals.visits.otherCollectors')} hint={t('approvals.visits.otherCollectorsHint')} error={invalid.collectors}>
          {(props) => <input {...props} value={others} onChange={(event) => setOthers(event.target.value)} />}
        </Field>
        <Field label={t('approvals.visits.slot')} hint={t('approvals.visits.slotHint')}>
          {(props) => <input {...props} type="datetime-local" value={slot} onChange={(event) => setSlot(event.target.value)} />}
        </Field>
        <button type="button" className="primary" disabled={busy} onClick={() => void send('approve')}>{t('approvals.visits.approve')}</button>
      </fieldset>
      <fieldset>
        <legend>{t('approvals.visits.rejectLegend')}</legend>
        <Field label={t('approvals.reason')} error={invalid.reason}>
          {(props) => <input {...props} value={reason} maxLength={2000} onChange={(event) => setReason(event.target.value)} />}
        </Field>
        <button type="button" disabled={busy} onClick={() => void send('reject')}>{t('approvals.visits.reject')}</button>
      </fieldset>
    </article>
  );
}

function HardshipDecision({ request, onDone }: { request: HardshipRequest; onDone: (message: string) => void }) {
  const { t } = useTranslation('supervisor');
  const [reason, setReason] = useState('');
  const [invalid, setInvalid] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const keyFor = useActionKey();
  const { proposal } = request;
  async function decide(decision: 'approve' | 'decline') {
    if (reason.trim() === '') return setInvalid(true);
    setInvalid(false);
    const body = { decision, reason: reason.trim() };
    setBusy(true);
    setError(null);
    try {
      await api.post(`/v1/hardship-requests/${request.id}/decision`, body, { idempotencyKey: keyFor(JSON.stringify(body)) });
      onDone(t(decision === 'approve' ? 'approvals.hardship.approved' : 'approvals.hardship.declined', { loan: request.loanId }));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }
  const money = (amount: string) => <Money amount={amount} currency={request.currency} />;
  return (
    <article className="card request" aria-labelledby={`hardship-${request.id}`}>
      <h3 id={`hardship-${request.id}`}>{t('approvals.hardship.for', { loan: request.loanId, plan: t(`approvals.hardship.plan.${request.plan.kind}`, { count: request.plan.months }) })}</h3>
      <p>{t('approvals.hardship.reasonGiven')}: {request.reason}</p>
      <dl className="summary">
        <div><dt>{t('approvals.hardship.income')}</dt><dd>{money(request.income)}</dd></div>
        <div><dt>{t('approvals.hardship.expenses')}</dt><dd>{money(request.expenses)}</dd></div>
        <div><dt>{t('approvals.hardship.disposable')}</dt><dd>{money(proposal.affordability.disposable)}</dd></div>
        <div><dt>{t('approvals.hardship.largestPayment')}</dt><dd>{money(proposal.affordability.largestPayment)}</dd></div>
        <div><dt>{t('approvals.hardship.verdict')}</dt><dd className={`verdict-${proposal.affordability.verdict}`}>{t(`approvals.hardship.${proposal.affordability.verdict}`)}</dd></div>
        <div><dt>{t('approvals.hardship.dueWithoutPlan')}</dt><dd>{money(proposal.dueWithoutPlan)}</dd></div>
        <div><dt>{t('approvals.hardship.firstPayment')}</dt><dd>{money(proposal.firstPayment)}</dd></div>
        <div><dt>{t('approvals.hardship.totalInterest')}</dt><dd>{money(proposal.totalInterest)}</dd></div>
      </dl>
      <details>
        <summary>{t('approvals.hardship.schedule', { count: proposal.installments.length, startsOn: proposal.startsOn })}</summary>
        <DataTable caption={t('approvals.hardship.scheduleCaption')} rows={proposal.installments} rowKey={(row) => String(row.number)} columns={[
          { key: 'number', header: '#', numeric: true, cell: (row) => row.number },
          { key: 'due', header: t('approvals.hardship.dueDate'), cell: (row) => <BusinessDateText date={row.dueDate} /> },
          { key: 'principal', header: t('approvals.hardship.principal'), numeric: true, cell: (row) => money(row.principal) },
          { key: 'interest', header: t('approvals.hardship.interest'), numeric: true, cell: (row) => money(row.interest) },
          { key: 'total', header: t('approvals.hardship.total'), numeric: true, cell: (row) => money(row.total) },
        ]} />
      </details>
      {error ? <ErrorMessage error={error} /> : null}
      <Field label={t('approvals.hardship.decisionReason')} hint={t('approvals.hardship.decisionReasonHint')} error={invalid ? t('approvals.reasonRequired') : null}>
        {(props) => <textarea {...props} rows={2} maxLength={2000} value={reason} onChange={(event) => setReason(event.target.value)} />}
      </Field>
      <div className="page-actions">
        <button type="button" className="primary" disabled={busy} onClick={() => void decide('approve')}>{t('approvals.hardship.approve')}</button>
        <button type="button" disabled={busy} onClick={() => void decide('decline')}>{t('approvals.hardship.decline')}</button>
      </div>
    </article>
  );
}

function ApprovalsScreen() {
  const { t } = useTranslation('supervisor');
  const visits = useLoad(() => api.get<{ items: Visit[] }>('/v1/collections/visits?status=requested'), []);
  const roster = useLoad(() => api.get<{ items: Collector[] }>('/v1/collections/roster'), []);
  const hardship = useLoad(() => api.get<{ items: HardshipRequest[] }>('/v1/hardship-requests?status=requested'), []);
  const [message, setMessage] = useState<string | null>(null);
  return (
    <Page title={t('approvals.title')}>
      {message ? <p className="success" role="status">{message}</p> : null}
      <section aria-labelledby="visits-heading">
        <h2 id="visits-heading">{t('approvals.visits.title')}</h2>
        <p className="hint">{t('approvals.visits.intro')}</p>
        <Loaded state={visits}>
          {(data) => (data.items.length === 0 ? <Empty>{t('approvals.visits.none')}</Empty> : (
            <>{data.items.map((visit) => <VisitDecision key={visit.id} visit={visit} collectors={roster.data?.items ?? []} onDone={(text) => { setMessage(text); visits.reload(); }} />)}</>
          ))}
        </Loaded>
      </section>
      <section aria-labelledby="hardship-heading">
        <h2 id="hardship-heading">{t('approvals.hardship.title')}</h2>
        <p className="hint">{t('approvals.hardship.intro')}</p>
        <Loaded state={hardship}>
          {(data) => (data.items.length === 0 ? <Empty>{t('approvals.hardship.none')}</Empty> : (
            <>{data.items.map((request) => <HardshipDecision key={request.id} request={request} onDone={(text) => { setMessage(text); hardship.reload(); }} />)}</>
          ))}
        </Loaded>
      </section>
    </Page>
  );
}

export const screens: Screen[] = [
  { path: '/supervisor/approvals', area: 'supervisor', permission: 'collections:supervise', titleKey: 'supervisor:approvals.title', navigation: true, component: ApprovalsScreen },
];
