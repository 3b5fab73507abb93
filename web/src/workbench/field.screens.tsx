import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../shell/api.ts';
import type { Screen } from '../shell/areas.ts';
import { Empty, ErrorMessage, Field, Loaded, Page, useLoad } from '../shell/components.tsx';
import { DecisionPanel, type GateDecision, instantIn, type Revealed, RevealedDetails, RevealForm, useActionKey } from './gate.tsx';

/** The field agent's screen: approved visits, the audited address, check-in through the gate, the report and a payment. */

interface Visit {
  id: string;
  caseId: string;
  status: string;
  slot: string | null;
  checkedInAt: string | null;
  checkInLocation: string | null;
  borrower: { name: string; phone: string | null; address: string | null; masked: boolean };
  loanId: string;
  currency: string;
  timeZone: string | null;
}

const VISIT_OUTCOMES = ['right-party-contact', 'promise', 'paid', 'no-answer', 'wrong-party', 'refused', 'dispute-raised', 'hardship-requested', 'bankruptcy', 'attorney', 'deceased', 'cease'] as const;

function VisitsScreen() {
  const { t } = useTranslation('workbench');
  const visits = useLoad(() => api.get<{ items: Visit[] }>('/v1/collections/my-visits'), []);
  return (
    <Page title={t('field.title')} actions={<button type="button" onClick={visits.reload}>{t('queue.refresh')}</button>}>
      <p className="hint">{t('field.intro')}</p>
      <Loaded state={visits}>
        {(data) => data.items.length === 0 ? <Empty>{t('field.empty')}</Empty> : (
          <div className="cards">{data.items.map((visit) => <VisitCard key={visit.id} visit={visit} onChanged={visits.reload} />)}</div>
        )}
      </Loaded>
    </Page>
  );
}

function VisitCard({ visit, onChanged }: { visit: Visit; onChanged: () => void }) {
  const { t, i18n } = useTranslation('workbench');
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  return (
    <article className="card" aria-labelledby={`visit-${visit.id}`}>
      <h2 id={`visit-${visit.id}`}>{visit.borrower.name}</h2>
      <span className="badge">{t(`visitStatus.${visit.status}`, { defaultValue: visit.status })}</span>
      <dl className="summary">
        <div><dt>{t('visits.slot')}</dt><dd>{visit.slot ? instantIn(visit.slot, visit.timeZone, i18n.language) : t('field.noSlot')}</dd></div>
        {revealed ? null : <div><dt>{t('borrower.address')}</dt><dd>{visit.borrower.address ?? '—'}</dd></div>}
        {visit.checkedInAt ? <div><dt>{t('field.checkedInAt')}</dt><dd>{instantIn(visit.checkedInAt, visit.timeZone, i18n.language)} · {visit.checkInLocation}</dd></div> : null}
      </dl>
      {revealed ? <RevealedDetails revealed={revealed} /> : <RevealForm path={`/v1/collections/visits/${encodeURIComponent(visit.id)}/reveal`} onRevealed={setRevealed} />}
      {visit.status === 'checked-in' ? <CompleteForm visit={visit} onDone={onChanged} /> : <CheckInForm visit={visit} onCheckedIn={onChanged} />}
    </article>
  );
}

function CheckInForm({ visit, onCheckedIn }: { visit: Visit; onCheckedIn: () => void }) {
  const { t } = useTranslation('workbench');
  const [location, setLocation] = useState('');
  const [answer, setAnswer] = useState<{ checkedIn: boolean; receiptId: string; decision: GateDecision } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const action = useActionKey();
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!location.trim()) return;
    setBusy(true);
    setError(null);
    setAnswer(null);
    try {
      const result = await api.post<{ checkedIn: boolean; receiptId: string; decision: GateDecision }>(`/v1/collections/visits/${encodeURIComponent(visit.id)}/check-in`, { location: location.trim() }, { idempotencyKey: action.key() });
      action.finish();
      setAnswer(result);
      if (result.checkedIn) onCheckedIn();
    } catch (caught) {
      action.failed(caught);
      setError(caught);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form onSubmit={(event) => void submit(event)}>
      <h3>{t('field.checkIn')}</h3>
      <Field label={t('field.location')} hint={t('field.locationHint')}>
        {(props) => <input {...props} value={location} onChange={(event) => setLocation(event.target.value)} maxLength={200} required />}
      </Field>
      <button type="submit" disabled={busy || !location.trim()}>{t('field.checkInButton')}</button>
      {error ? <ErrorMessage error={error} /> : null}
      {answer && !answer.checkedIn ? <DecisionPanel decision={answer.decision} receiptId={answer.receiptId} timeZone={visit.timeZone} /> : null}
    </form>
  );
}

function CompleteForm({ visit, onDone }: { visit: Visit; onDone: () => void }) {
  const { t } = useTranslation('workbench');
  const [outcome, setOutcome] = useState<(typeof VISIT_OUTCOMES)[number] | ''>('');
  const [report, setReport] = useState('');
  const [payment, setPayment] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ paymentId: string | null } | null>(null);
  const action = useActionKey();
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!outcome || !report.trim()) return;
    setBusy(true);
    setError(null);
    try {
      const body = { outcome, report: report.trim(), ...(payment.trim() ? { payment: { amount: payment.trim() } } : {}) };
      const result = await api.post<{ paymentId: string | null }>(`/v1/collections/visits/${encodeURIComponent(visit.id)}/complete`, body, { idempotencyKey: action.key() });
      action.finish();
      setDone(result);
    } catch (caught) {
      action.failed(caught);
      setError(caught);
    } finally {
      setBusy(false);
    }
  }
  if (done) {
    return (
      <div className="success" role="status">
        <p>{t('field.completed')}</p>
        {done.paymentId ? <p>{t('field.paymentReceipt')}: <code>{done.paymentId}</code></p> : null}
        <button type="button" onClick={onDone}>{t('field.backToList')}</button>
      </div>
    );
  }
  return (
    <form onSubmit={(event) => void submit(event)}>
      <h3>{t('field.complete')}</h3>
      <Field label={t('outcome.label')}>
        {(props) => (
          <select {...props} value={outcome} onChange={(event) => setOutcome(event.target.value as (typeof VISIT_OUTCOMES)[number])} required>
            <option value="">{t('outcome.pick')}</option>
            {VISIT_OUTCOMES.map((option) => <option key={option} value={option}>{t(`outcomes.${option}`)}</option>)}
          </select>
        )}
      </Field>
      <Field label={t('field.report')}>
        {(props) => <textarea {...props} value={report} onChange={(event) => setReport(event.target.value)} maxLength={10000} rows={4} required />}
      </Field>
      <Field label={t('field.payment', { currency: visit.currency })} hint={t('field.paymentHint')}>
        {(props) => <input {...props} inputMode="decimal" value={payment} onChange={(event) => setPayment(event.target.value)} />}
      </Field>
      <button type="submit" disabled={busy || !outcome || !report.trim()}>{t('field.completeButton')}</button>
      {error ? <ErrorMessage error={error} /> : null}
    </form>
  );
}

export const screens: Screen[] = [
  // A field agent's own visits; supervisors approve visits in their console.
  { path: '/workbench/visits', area: 'workbench', permission: 'collections:visit', roles: ['field-agent'], titleKey: 'workbench:field.title', navigation: true, component: VisitsScreen },
];
