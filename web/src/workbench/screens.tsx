import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { api } from '../shell/api.ts';
import type { Screen } from '../shell/areas.ts';
import { BusinessDateText, DataTable, Empty, ErrorMessage, Field, Loaded, Money, Page, useLoad } from '../shell/components.tsx';
import { formatInstant } from '../shell/format.ts';
import { DecisionPanel, type GateDecision, instantIn, ReasonList, type Revealed, RevealedDetails, RevealForm, useActionKey } from './gate.tsx';

/** The collector's workbench: the call queue, one case, contact through the gate, outcomes and promises. */

interface QueueItem {
  taskId: string;
  caseId: string;
  loanId: string;
  borrowerName: string;
  phone: string | null;
  daysPastDue: number;
  balance: string;
  amountDue: string;
  currency: string;
  bucket: string | null;
  language: string;
  timeZone: string | null;
  promiseDue: boolean;
  contactAllowedNow: boolean;
  nextAllowedAt: string | null;
  reasonCodes: string[];
}

function QueueScreen() {
  const { t, i18n } = useTranslation('workbench');
  const queue = useLoad(() => api.get<{ items: QueueItem[] }>('/v1/collections/queue'), []);
  return (
    <Page title={t('queue.title')} actions={<button type="button" onClick={queue.reload}>{t('queue.refresh')}</button>}>
      <p className="hint">{t('queue.intro')}</p>
      <Loaded state={queue}>
        {(data) => data.items.length === 0 ? <Empty>{t('queue.empty')}</Empty> : (
          <DataTable
            caption={t('queue.title')}
            rows={data.items}
            rowKey={(item) => item.taskId}
            columns={[
              { key: 'borrower', header: t('queue.borrower'), cell: (item) => <Link to={`/workbench/cases/${encodeURIComponent(item.caseId)}?task=${encodeURIComponent(item.taskId)}`}>{item.borrowerName}</Link> },
              {
                key: 'contact', header: t('queue.contactNow'), cell: (item) => item.contactAllowedNow
                  ? <span className="badge">{t('queue.allowedNow')}</span>
                  : (
                    <span>
                      <span className="badge late">{t('queue.notNow')}</span>{' '}
                      {item.nextAllowedAt ? t('queue.nextAt', { time: instantIn(item.nextAllowedAt, item.timeZone, i18n.language) }) : t('queue.noNextTime')}
                      <ReasonList codes={item.reasonCodes} />
                    </span>
                  ),
              },
              { key: 'dpd', header: t('queue.daysPastDue'), numeric: true, cell: (item) => item.daysPastDue },
              { key: 'bucket', header: t('queue.bucket'), cell: (item) => item.bucket ?? '—' },
              { key: 'due', header: t('queue.amountDue'), numeric: true, cell: (item) => <Money amount={item.amountDue} currency={item.currency} /> },
              { key: 'balance', header: t('queue.balance'), numeric: true, cell: (item) => <Money amount={item.balance} currency={item.currency} /> },
              { key: 'promise', header: t('queue.promiseDue'), cell: (item) => item.promiseDue ? t('yes') : t('no') },
              { key: 'language', header: t('queue.language'), cell: (item) => t(`common:languages.${item.language}`, { defaultValue: item.language }) },
            ]}
          />
        )}
      </Loaded>
    </Page>
  );
}

interface Decision {
  allowed: boolean;
  reasonCodes: string[];
  allowAfter: string | null;
  policy: string;
}

interface CaseView {
  id: string;
  borrowerId: string;
  borrower: { name: string; phone: string | null; address: string | null; masked: boolean };
  loanId: string;
  status: string;
  agentId: string | null;
  openedOn: string;
  daysPastDue: number;
  lastRightPartyContactOn: string | null;
  currency: string;
  amountDue: string;
  language: string;
  timeZone: string | null;
  jurisdiction: string;
  promises: Array<{ id: string; status: string; madeOn: string; graceDays: number; tolerance: string; instalments: Array<{ dueOn: string; amount: string }> }>;
  visits: Array<{ id: string; status: string; requestedOn: string; slot: string | null; outcome: string | null; report: string | null }>;
  attempts: Array<{ id: string; channel: string; at: string; agentId: string | null; receiptId: string; outcome: string | null; note: string | null; decision: Decision | null }>;
  gateChecks: Array<{ receiptId: string; at: string; channel: string | null } & Decision>;
  holds: Array<{ id: string; kind: string; active: boolean; heldOn: string; releasedOn: string | null }>;
  notes: Array<{ id: string; authorId: string; text: string; at: string }>;
}

interface LoanDetail {
  id: string;
  currency: string;
  principal: string;
  status: string;
  apr: string | null;
  disbursedOn: string | null;
  outstanding: { principal: string; interest: string; fees: string; penalties: string; total: string };
  installments: Array<{ number: number; dueDate: string; total: string; paid: string; outstanding: string; completedOn: string | null }>;
}

interface ContactResult {
  allowed: boolean;
  attemptId: string | null;
  receiptId: string;
  decision: GateDecision;
  channel: string;
}

interface Template {
  id: string;
  channel: string;
  language: string;
  purpose: string;
  approvedVersion: number | null;
}

const OUTCOMES = ['no-answer', 'voicemail', 'right-party-contact', 'wrong-party', 'promise', 'refused', 'dispute-raised', 'hardship-requested', 'paid', 'bankruptcy', 'attorney', 'deceased', 'cease'] as const;

function CaseScreen() {
  const { t } = useTranslation('workbench');
  const { caseId = '' } = useParams();
  const [search] = useSearchParams();
  const taskId = search.get('task');
  const view = useLoad(() => api.get<CaseView>(`/v1/collections/cases/${encodeURIComponent(caseId)}`), [caseId]);
  return (
    <Page title={t('case.title')} actions={<Link to="/workbench/queue">{t('case.back')}</Link>}>
      <Loaded state={view}>
        {(data) => <CaseContent data={data} taskId={taskId} reload={view.reload} />}
      </Loaded>
    </Page>
  );
}

function CaseContent({ data, taskId, reload }: { data: CaseView; taskId: string | null; reload: () => void }) {
  const { t, i18n } = useTranslation('workbench');
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  const loan = useLoad(() => api.get<LoanDetail>(`/v1/loans/${encodeURIComponent(data.loanId)}`), [data.loanId]);
  const activeHolds = data.holds.filter((hold) => hold.active);
  return (
    <>
      <section className="card" aria-labelledby="case-summary">
        <h2 id="case-summary">{data.borrower.name} · <span className="badge">{t(`caseStatus.${data.status}`, { defaultValue: data.status })}</span></h2>
        <dl className="summary">
          <div><dt>{t('queue.daysPastDue')}</dt><dd>{data.daysPastDue}</dd></div>
          <div><dt>{t('queue.amountDue')}</dt><dd><Money amount={data.amountDue} currency={data.currency} /></dd></div>
          <div><dt>{t('case.openedOn')}</dt><dd><BusinessDateText date={data.openedOn} /></dd></div>
          <div><dt>{t('case.lastRightParty')}</dt><dd><BusinessDateText date={data.lastRightPartyContactOn} /></dd></div>
          <div><dt>{t('queue.language')}</dt><dd>{t(`common:languages.${data.language}`, { defaultValue: data.language })}</dd></div>
          <div><dt>{t('case.timeZone')}</dt><dd>{data.timeZone ?? '—'} ({data.jurisdiction})</dd></div>
        </dl>
        {activeHolds.length > 0 ? (
          <p className="error" role="note">{t('case.onHold', { holds: activeHolds.map((hold) => t(`holds.${hold.kind}`, { defaultValue: hold.kind })).join(', ') })}</p>
        ) : null}
      </section>

      <section className="card" aria-labelledby="borrower-heading">
        <h2 id="borrower-heading">{t('borrower.title')}</h2>
        {revealed ? <RevealedDetails revealed={revealed} /> : (
          <>
            <dl className="summary">
              <div><dt>{t('borrower.name')}</dt><dd>{data.borrower.name}</dd></div>
              <div><dt>{t('borrower.phone')}</dt><dd>{data.borrower.phone ?? '—'}</dd></div>
              <div><dt>{t('borrower.address')}</dt><dd>{data.borrower.address ?? '—'}</dd></div>
            </dl>
            {data.borrower.masked ? <><p className="hint">{t('reveal.masked')}</p><RevealForm path={`/v1/collections/cases/${encodeURIComponent(data.id)}/reveal`} onRevealed={setRevealed} /></> : null}
          </>
        )}
      </section>

      <ContactAction data={data} taskId={taskId} onChanged={reload} />

      <section className="card" aria-labelledby="loan-heading">
        <h2 id="loan-heading">{t('loan.title')}</h2>
        <Loaded state={loan}>
          {(detail) => (
            <>
              <dl className="summary">
                <div><dt>{t('loan.principal')}</dt><dd><Money amount={detail.principal} currency={detail.currency} /></dd></div>
                <div><dt>{t('loan.disbursedOn')}</dt><dd><BusinessDateText date={detail.disbursedOn} /></dd></div>
                <div><dt>{t('loan.outstandingPrincipal')}</dt><dd><Money amount={detail.outstanding.principal} currency={detail.currency} /></dd></div>
                <div><dt>{t('loan.outstandingInterest')}</dt><dd><Money amount={detail.outstanding.interest} currency={detail.currency} /></dd></div>
                <div><dt>{t('loan.outstandingFees')}</dt><dd><Money amount={detail.outstanding.fees} currency={detail.currency} /></dd></div>
                <div><dt>{t('loan.outstandingPenalties')}</dt><dd><Money amount={detail.outstanding.penalties} currency={detail.currency} /></dd></div>
                <div><dt>{t('loan.outstandingTotal')}</dt><dd><Money amount={detail.outstanding.total} currency={detail.currency} /></dd></div>
              </dl>
              <h3>{t('loan.schedule')}</h3>
              <DataTable caption={t('loan.schedule')} rows={detail.installments} rowKey={(row) => String(row.number)} columns={[
                { key: 'number', header: '#', numeric: true, cell: (row) => row.number },
                { key: 'due', header: t('loan.dueDate'), cell: (row) => <BusinessDateText date={row.dueDate} /> },
                { key: 'total', header: t('loan.total'), numeric: true, cell: (row) => <Money amount={row.total} currency={detail.currency} /> },
                { key: 'paid', header: t('loan.paid'), numeric: true, cell: (row) => <Money amount={row.paid} currency={detail.currency} /> },
                { key: 'outstanding', header: t('loan.outstanding'), numeric: true, cell: (row) => <Money amount={row.outstanding} currency={detail.currency} /> },
              ]} />
            </>
          )}
        </Loaded>
      </section>

      <section className="card" aria-labelledby="history-heading">
        <h2 id="history-heading">{t('history.title')}</h2>
        <DataTable caption={t('history.title')} rows={data.gateChecks} rowKey={(row) => row.receiptId} columns={[
          { key: 'at', header: t('history.at'), cell: (row) => instantIn(row.at, data.timeZone, i18n.language) },
          { key: 'channel', header: t('history.channel'), cell: (row) => t(`channels.${row.channel ?? 'unknown'}`, { defaultValue: row.channel ?? '—' }) },
          { key: 'decision', header: t('history.decision'), cell: (row) => (
            <span>
              <span className={row.allowed ? 'badge' : 'badge late'}>{row.allowed ? t('gate.allowed') : t('gate.denied')}</span>
              <ReasonList codes={row.reasonCodes} />
              {row.allowAfter ? t('queue.nextAt', { time: instantIn(row.allowAfter, data.timeZone, i18n.language) }) : null}
            </span>
          ) },
          { key: 'outcome', header: t('history.outcome'), cell: (row) => {
            const attempt = data.attempts.find((candidate) => candidate.receiptId === row.receiptId);
            if (!attempt) return row.allowed ? t('history.automatic') : '—';
            return attempt.outcome ? t(`outcomes.${attempt.outcome}`, { defaultValue: attempt.outcome }) : t('history.noOutcome');
          } },
          { key: 'receipt', header: t('gate.receipt'), cell: (row) => <code>{row.receiptId}</code> },
        ]} />
      </section>

      <section className="card" aria-labelledby="promises-heading">
        <h2 id="promises-heading">{t('promises.title')}</h2>
        <DataTable caption={t('promises.title')} rows={data.promises} rowKey={(row) => row.id} columns={[
          { key: 'made', header: t('promises.madeOn'), cell: (row) => <BusinessDateText date={row.madeOn} /> },
          { key: 'status', header: t('promises.status'), cell: (row) => t(`promiseStatus.${row.status}`, { defaultValue: row.status }) },
          { key: 'instalments', header: t('promises.instalments'), cell: (row) => (
            <ul className="plain">{row.instalments.map((instalment) => <li key={instalment.dueOn}><BusinessDateText date={instalment.dueOn} />: <Money amount={instalment.amount} currency={data.currency} /></li>)}</ul>
          ) },
        ]} />
      </section>

      <section className="card" aria-labelledby="visits-heading">
        <h2 id="visits-heading">{t('visits.title')}</h2>
        <DataTable caption={t('visits.title')} rows={data.visits} rowKey={(row) => row.id} columns={[
          { key: 'requested', header: t('visits.requestedOn'), cell: (row) => <BusinessDateText date={row.requestedOn} /> },
          { key: 'status', header: t('visits.status'), cell: (row) => t(`visitStatus.${row.status}`, { defaultValue: row.status }) },
          { key: 'slot', header: t('visits.slot'), cell: (row) => instantIn(row.slot, data.timeZone, i18n.language) },
          { key: 'outcome', header: t('history.outcome'), cell: (row) => row.outcome ? t(`outcomes.${row.outcome}`, { defaultValue: row.outcome }) : '—' },
        ]} />
      </section>

      <section className="card" aria-labelledby="holds-heading">
        <h2 id="holds-heading">{t('holds.title')}</h2>
        <DataTable caption={t('holds.title')} rows={data.holds} rowKey={(row) => row.id} columns={[
          { key: 'kind', header: t('holds.kind'), cell: (row) => t(`holds.${row.kind}`, { defaultValue: row.kind }) },
          { key: 'held', header: t('holds.heldOn'), cell: (row) => <BusinessDateText date={row.heldOn} /> },
          { key: 'state', header: t('holds.state'), cell: (row) => row.active ? t('holds.active') : t('holds.released') },
        ]} />
      </section>

      <Notes data={data} onAdded={reload} />
    </>
  );
}

function Notes({ data, onAdded }: { data: CaseView; onAdded: () => void }) {
  const { t, i18n } = useTranslation('workbench');
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const action = useActionKey();
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (text.trim().length === 0) return;
    setBusy(true);
    setError(null);
    try {
      await api.post(`/v1/collections/cases/${encodeURIComponent(data.id)}/notes`, { text: text.trim() }, { idempotencyKey: action.key() });
      action.finish();
      setText('');
      onAdded();
    } catch (caught) {
      action.failed(caught);
      setError(caught);
    } finally {
      setBusy(false);
    }
  }
  return (
    <section className="card" aria-labelledby="notes-heading">
      <h2 id="notes-heading">{t('notes.title')}</h2>
      {data.notes.length === 0 ? <Empty>{t('notes.none')}</Empty> : (
        <ul className="plain">{data.notes.map((note) => <li key={note.id}><time dateTime={note.at}>{formatInstant(note.at, i18n.language)}</time> — {note.text}</li>)}</ul>
      )}
      <form onSubmit={(event) => void submit(event)}>
        <Field label={t('notes.add')}>
          {(props) => <textarea {...props} value={text} onChange={(event) => setText(event.target.value)} maxLength={2000} rows={3} />}
        </Field>
        <button type="submit" disabled={busy || text.trim().length === 0}>{t('notes.save')}</button>
        {error ? <ErrorMessage error={error} /> : null}
      </form>
    </section>
  );
}

/**
 * Pick a channel, ask the gate now, see its answer; an allowed call then gets the outcome form.
 * The server runs the gate: nothing here decides whether a contact may be made.
 */
function ContactAction({ data, taskId, onChanged }: { data: CaseView; taskId: string | null; onChanged: () => void }) {
  const { t } = useTranslation('workbench');
  const [channel, setChannel] = useState<'call' | 'sms' | 'email'>('call');
  const [templateId, setTemplateId] = useState('');
  const [result, setResult] = useState<ContactResult | null>(null);
  const [outcomeSaved, setOutcomeSaved] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const action = useActionKey();
  const templates = useLoad(() => api.get<{ items: Template[] }>('/v1/collections/templates'), []);
  const usable = (templates.data?.items ?? []).filter((template) => template.channel === channel && template.approvedVersion !== null);
  const needsTemplate = channel !== 'call';
  async function check(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setResult(null);
    setOutcomeSaved(false);
    try {
      const body = needsTemplate ? { channel, templateId } : { channel };
      const answer = await api.post<Omit<ContactResult, 'channel'>>(`/v1/collections/cases/${encodeURIComponent(data.id)}/contact`, body, { idempotencyKey: action.key() });
      action.finish();
      setResult({ ...answer, channel });
      onChanged();
    } catch (caught) {
      action.failed(caught);
      setError(caught);
    } finally {
      setBusy(false);
    }
  }
  return (
    <section className="card" aria-labelledby="contact-heading">
      <h2 id="contact-heading">{t('contact.title')}</h2>
      <p className="hint">{t('contact.intro')}</p>
      <form onSubmit={(event) => void check(event)}>
        <fieldset>
          <legend>{t('contact.channel')}</legend>
          {(['call', 'sms', 'email'] as const).map((option) => (
            <label key={option} className="choice">
              <input type="radio" name="channel" value={option} checked={channel === option} onChange={() => { setChannel(option); setTemplateId(''); setResult(null); }} />
              {t(`channels.${option}`)}
            </label>
          ))}
        </fieldset>
        {needsTemplate ? (
          <Field label={t('contact.template')} hint={t('contact.templateHint')}>
            {(props) => (
              <select {...props} value={templateId} onChange={(event) => setTemplateId(event.target.value)} required>
                <option value="">{t('contact.pickTemplate')}</option>
                {usable.map((template) => <option key={template.id} value={template.id}>{template.id} (v{template.approvedVersion})</option>)}
              </select>
            )}
          </Field>
        ) : null}
        <button type="submit" disabled={busy || (needsTemplate && !templateId)}>{t('contact.ask')}</button>
      </form>
      {error ? <ErrorMessage error={error} /> : null}
      {outcomeSaved ? <p className="success" role="status">{t('outcome.saved')}</p> : null}
      {result ? (
        <>
          <DecisionPanel decision={result.decision} receiptId={result.receiptId} timeZone={data.timeZone} />
          {result.allowed && result.channel === 'call' && result.attemptId ? (
            <OutcomeForm caseView={data} attemptId={result.attemptId} taskId={taskId} onSaved={() => { setResult(null); setOutcomeSaved(true); onChanged(); }} />
          ) : null}
          {result.allowed && result.channel !== 'call' ? <p>{t('contact.sendNow')}</p> : null}
        </>
      ) : null}
    </section>
  );
}

interface PromiseLine {
  dueOn: string;
  amount: string;
}

/** How the call went; a promise also records its instalments (the server validates amounts and dates). */
function OutcomeForm({ caseView, attemptId, taskId, onSaved }: { caseView: CaseView; attemptId: string; taskId: string | null; onSaved: () => void }) {
  const { t } = useTranslation('workbench');
  const [outcome, setOutcome] = useState<(typeof OUTCOMES)[number] | ''>('');
  const [note, setNote] = useState('');
  const [lines, setLines] = useState<PromiseLine[]>([{ dueOn: '', amount: '' }]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const promiseAction = useActionKey();
  const outcomeAction = useActionKey();
  const [promiseSaved, setPromiseSaved] = useState(false);
  const update = (index: number, change: Partial<PromiseLine>) => setLines((previous) => previous.map((line, at) => (at === index ? { ...line, ...change } : line)));
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!outcome) return;
    setBusy(true);
    setError(null);
    try {
      // The promise first: if the server refuses its amounts or dates, nothing is logged yet.
      if (outcome === 'promise' && !promiseSaved) {
        await api.post(`/v1/collections/cases/${encodeURIComponent(caseView.id)}/promises`, { instalments: lines.map((line) => ({ dueOn: line.dueOn, amount: line.amount.trim() })) }, { idempotencyKey: promiseAction.key() });
        promiseAction.finish();
        setPromiseSaved(true);
      }
      await api.post(`/v1/collections/cases/${encodeURIComponent(caseView.id)}/outcome`, { attemptId, outcome, ...(taskId ? { taskId } : {}), ...(note.trim() ? { note: note.trim() } : {}) }, { idempotencyKey: outcomeAction.key() });
      outcomeAction.finish();
      onSaved();
    } catch (caught) {
      promiseAction.failed(caught);
      outcomeAction.failed(caught);
      setError(caught);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form onSubmit={(event) => void submit(event)} aria-labelledby="outcome-heading">
      <h3 id="outcome-heading">{t('outcome.title')}</h3>
      <Field label={t('outcome.label')}>
        {(props) => (
          <select {...props} value={outcome} onChange={(event) => setOutcome(event.target.value as (typeof OUTCOMES)[number])} required>
            <option value="">{t('outcome.pick')}</option>
            {OUTCOMES.map((option) => <option key={option} value={option}>{t(`outcomes.${option}`)}</option>)}
          </select>
        )}
      </Field>
      {outcome === 'promise' ? (
        <fieldset disabled={promiseSaved}>
          <legend>{t('promise.title', { currency: caseView.currency })}</legend>
          <p className="hint">{t('promise.hint')}</p>
          {lines.map((line, index) => (
            <div key={index} className="promise-line">
              <Field label={t('promise.dueOn', { number: index + 1 })}>
                {(props) => <input {...props} type="date" value={line.dueOn} onChange={(event) => update(index, { dueOn: event.target.value })} required />}
              </Field>
              <Field label={t('promise.amount', { number: index + 1, currency: caseView.currency })}>
                {(props) => <input {...props} inputMode="decimal" value={line.amount} onChange={(event) => update(index, { amount: event.target.value })} required />}
              </Field>
              {lines.length > 1 ? <button type="button" onClick={() => setLines((previous) => previous.filter((_, at) => at !== index))}>{t('promise.remove', { number: index + 1 })}</button> : null}
            </div>
          ))}
          <button type="button" onClick={() => setLines((previous) => [...previous, { dueOn: '', amount: '' }])}>{t('promise.addInstalment')}</button>
        </fieldset>
      ) : null}
      <Field label={t('outcome.note')}>
        {(props) => <textarea {...props} value={note} onChange={(event) => setNote(event.target.value)} maxLength={2000} rows={2} />}
      </Field>
      <button type="submit" disabled={busy || !outcome}>{t('outcome.save')}</button>
      {error ? <ErrorMessage error={error} /> : null}
    </form>
  );
}

// The queue is a collector's own list: supervisors and administrators hold the permission too but
// start in their own consoles (the first screen in the navigation is the start page). Any holder of
// `collections:work` may open a case, e.g. from the supervisor console.
export const screens: Screen[] = [
  { path: '/workbench/queue', area: 'workbench', permission: 'collections:work', roles: ['agent'], titleKey: 'workbench:queue.title', navigation: true, component: QueueScreen },
  { path: '/workbench/cases/:caseId', area: 'workbench', permission: 'collections:work', titleKey: 'workbench:case.title', navigation: false, component: CaseScreen },
];
