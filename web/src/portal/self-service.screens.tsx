import { type FormEvent, type ReactNode, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { api, ApiError, newIdempotencyKey } from '../shell/api.ts';
import type { Screen } from '../shell/areas.ts';
import { BusinessDateText, DataTable, Empty, ErrorMessage, Field, Loaded, Money, Page, useLoad } from '../shell/components.tsx';
import { formatInstant } from '../shell/format.ts';
import { useUser } from '../shell/session.tsx';

/**
 * What a borrower asks for themself from the portal: contact preferences, a dispute, a hardship
 * plan and a complaint. The server decides everything (what is valid, what a plan gives, when a
 * complaint is due); these screens collect the request and show the answer.
 *
 * The file's name sorts after `screens.tsx` on purpose: screens are gathered in file order, and the
 * portal's start page (its first screen) stays "My loans".
 */

// The closed lists of the API (docs/borrowers.md); the labels come from the strings.
const CHANNELS = ['call', 'voicemail', 'sms', 'email', 'letter', 'visit'] as const;
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const DISPUTE_REASONS = ['not-mine', 'wrong-amount', 'already-paid', 'fraud', 'other'] as const;
const PLAN_KINDS = ['deferral', 'extension', 'reduced-payments'] as const;
const COMPLAINT_CATEGORIES = ['harassment', 'wrong-amount', 'privacy', 'other'] as const;

interface InconvenientTime {
  weekdays?: string[];
  from?: string;
  to?: string;
}

interface Preferences {
  optOuts: string[];
  inconvenient: InconvenientTime[];
  preferredLanguage: 'zh-CN' | 'en' | null;
  ceaseContact: boolean;
}

interface PreferencesView extends Preferences {
  borrowerId: string;
  timeZone: string | null;
  changes: Array<{ id: string; changedBy: string; changedByRole: string; changedAt: string; before: Preferences; after: Preferences }>;
}

interface Dispute {
  id: string;
  reason: string;
  text: string;
  status: 'open' | 'upheld' | 'rejected';
  raisedOn: string;
  resolvedOn: string | null;
  resolution: string | null;
}

interface ProposalInstallment {
  number: number;
  fromDate: string;
  dueDate: string;
  principal: string;
  interest: string;
  total: string;
}

interface Proposal {
  startsOn: string;
  installments: ProposalInstallment[];
  principalOwed: string;
  arrears: string;
  dueWithoutPlan: string;
  firstPayment: string;
  largestPayment: string;
  totalInterest: string;
  affordability: { verdict: 'affordable' | 'unaffordable'; disposable: string; largestPayment: string };
}

interface Plan {
  kind: string;
  months: number;
}

interface HardshipRequest {
  id: string;
  status: 'requested' | 'approved' | 'declined';
  reason: string;
  currency: string;
  plan: Plan;
  proposal: Proposal;
  requestedOn: string;
  decidedOn: string | null;
  decisionReason: string | null;
}

interface Complaint {
  id: string;
  category: string;
  text: string;
  status: 'open' | 'assigned' | 'closed';
  filedOn: string;
  dueOn: string;
  overdue: boolean;
  resolution: string | null;
  closedOn: string | null;
}

interface LoanSummary {
  id: string;
  currency: string;
  principal: string;
  status: string;
  disbursedOn: string | null;
}

/** The field a refusal names, without the `body.` that schema validation puts before it. */
function fieldOf(error: unknown): string | null {
  return error instanceof ApiError && typeof error.problem.field === 'string' ? error.problem.field.replace(/^body\./, '') : null;
}

/**
 * Sends one user action with an idempotency key kept while the same body is retried (a lost answer
 * then returns the first result); a refusal or a changed body starts a new action with a new key.
 */
function useIdempotentSend() {
  const attempt = useRef<{ body: string; key: string } | null>(null);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function send<T>(body: unknown, call: (idempotencyKey: string) => Promise<T>): Promise<T | undefined> {
    const serialized = JSON.stringify(body);
    if (attempt.current?.body !== serialized) attempt.current = { body: serialized, key: newIdempotencyKey() };
    setSending(true);
    setError(null);
    try {
      const result = await call(attempt.current.key);
      attempt.current = null;
      return result;
    } catch (caught) {
      if (caught instanceof ApiError && caught.status >= 400 && caught.status < 500) attempt.current = null;
      setError(caught);
      return undefined;
    } finally {
      setSending(false);
    }
  }
  return { send, sending, error, setError };
}

/** A refusal shown at its field (with the server's words), or nothing when it names another field. */
function fieldError(error: unknown, matches: (field: string) => boolean, message: string): string | null {
  const field = fieldOf(error);
  if (!field || !matches(field)) return null;
  const detail = error instanceof ApiError ? error.problem.detail : undefined;
  return detail ? `${message} (${detail})` : message;
}

/** A refusal that no field shows, as the usual error box. */
function FormError({ error, shownAtField }: { error: unknown; shownAtField: boolean }) {
  if (!error || shownAtField) return null;
  return <ErrorMessage error={error} />;
}

function Checkbox({ label, checked, onChange, name }: { label: string; checked: boolean; onChange: (checked: boolean) => void; name?: string }) {
  return (
    <label style={{ display: 'inline-flex', alignItems: 'center', gap: '0.4rem', marginRight: '1rem', minHeight: '2.25rem', fontWeight: 'normal' }}>
      <input type="checkbox" name={name} checked={checked} onChange={(event) => onChange(event.target.checked)} style={{ width: 'auto', minHeight: 0 }} />
      {label}
    </label>
  );
}

function Group({ legend, hint, error, children }: { legend: string; hint?: string; error?: string | null; children: ReactNode }) {
  return (
    <fieldset className="field" style={{ border: '1px solid var(--line)', borderRadius: 'var(--radius)', padding: '0.5rem 0.75rem' }}>
      <legend style={{ fontWeight: 600 }}>{legend}</legend>
      {hint ? <p className="hint">{hint}</p> : null}
      {children}
      {error ? <p className="field-error" role="alert">{error}</p> : null}
    </fieldset>
  );
}

function StatusBadge({ label, tone }: { label: string; tone?: 'good' | 'bad' }) {
  return <span className={tone === 'bad' ? 'badge late' : 'badge'}>{label}</span>;
}

// ---------------------------------------------------------------------------------------------
// Contact preferences

/** What a set of preferences asks for, in a sentence. */
function PreferencesSummary({ preferences }: { preferences: Preferences }) {
  const { t } = useTranslation(['portal', 'common']);
  const parts: string[] = [];
  if (preferences.ceaseContact) parts.push(t('contact.summaryCease'));
  if (preferences.optOuts.length > 0) parts.push(t('contact.summaryOptOuts', { channels: preferences.optOuts.map((channel) => t(`contact.channel.${channel}`)).join(t('contact.listSeparator')) }));
  for (const time of preferences.inconvenient) {
    const days = time.weekdays && time.weekdays.length > 0 ? time.weekdays.map((day) => t(`contact.weekday.${day}`)).join(t('contact.listSeparator')) : t('contact.everyDay');
    parts.push(time.from && time.to ? t('contact.summaryTime', { days, from: time.from, to: time.to }) : t('contact.summaryDays', { days }));
  }
  if (preferences.preferredLanguage) parts.push(t('contact.summaryLanguage', { language: t(`common:languages.${preferences.preferredLanguage}`) }));
  return <>{parts.length > 0 ? parts.join(t('contact.partSeparator')) : t('contact.summaryNone')}</>;
}

interface TimeRow {
  weekdays: string[];
  from: string;
  to: string;
}

function PreferencesForm({ initial, borrowerId, timeZone, onSending, onSaved }: { initial: Preferences; borrowerId: string; timeZone: string | null; onSending: () => void; onSaved: () => void }) {
  const { t } = useTranslation(['portal', 'common']);
  const [optOuts, setOptOuts] = useState<string[]>(initial.optOuts);
  const [times, setTimes] = useState<TimeRow[]>(initial.inconvenient.map((time) => ({ weekdays: time.weekdays ?? [], from: time.from ?? '', to: time.to ?? '' })));
  const [language, setLanguage] = useState<string>(initial.preferredLanguage ?? '');
  const [cease, setCease] = useState(initial.ceaseContact);
  const { send, sending, error } = useIdempotentSend();

  const body: Preferences = {
    optOuts,
    inconvenient: times.map((row) => ({
      ...(row.weekdays.length > 0 ? { weekdays: WEEKDAYS.filter((day) => row.weekdays.includes(day)) } : {}),
      ...(row.from.trim() ? { from: row.from.trim() } : {}),
      ...(row.to.trim() ? { to: row.to.trim() } : {}),
    })),
    preferredLanguage: language === 'zh-CN' || language === 'en' ? language : null,
    ceaseContact: cease,
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    onSending();
    const result = await send(body, (idempotencyKey) => api.put<PreferencesView>(`/v1/borrowers/${encodeURIComponent(borrowerId)}/contact-preferences`, body, { idempotencyKey }));
    if (result) onSaved();
  };

  const updateTime = (index: number, change: Partial<TimeRow>) => setTimes((rows) => rows.map((row, at) => (at === index ? { ...row, ...change } : row)));
  const field = fieldOf(error);
  const timeErrorAt = (index: number) => fieldError(error, (name) => name === `inconvenient.${index}` || name.startsWith(`inconvenient.${index}.`), t('contact.timeInvalid'));
  const shownAtField = Boolean(field && (field.startsWith('inconvenient.') || field.startsWith('optOuts') || field === 'preferredLanguage'));

  return (
    <form onSubmit={(event) => void submit(event)} noValidate aria-labelledby="preferences-heading" style={{ maxWidth: '40rem' }}>
      <h2 id="preferences-heading">{t('contact.formTitle')}</h2>
      <Group legend={t('contact.optOutsLegend')} hint={t('contact.optOutsHint')} error={fieldError(error, (name) => name.startsWith('optOuts'), t('contact.optOutsInvalid'))}>
        {CHANNELS.map((channel) => (
          <Checkbox key={channel} name="optOuts" label={t(`contact.channel.${channel}`)} checked={optOuts.includes(channel)}
            onChange={(checked) => setOptOuts((current) => (checked ? CHANNELS.filter((item) => item === channel || current.includes(item)) : current.filter((item) => item !== channel)))} />
        ))}
      </Group>

      <Group legend={t('contact.inconvenientLegend')} hint={timeZone ? t('contact.inconvenientHintZone', { zone: timeZone }) : t('contact.inconvenientHint')}
        error={fieldError(error, (name) => name === 'inconvenient', t('contact.timeInvalid'))}>
        {times.length === 0 ? <p className="empty">{t('contact.noTimes')}</p> : null}
        {times.map((row, index) => (
          <fieldset key={index} className="card" style={{ padding: '0.5rem 0.75rem' }}>
            <legend>{t('contact.timeLegend', { number: index + 1 })}</legend>
            <div role="group" aria-label={t('contact.weekdaysLabel', { number: index + 1 })}>
              <p className="hint">{t('contact.weekdaysHint')}</p>
              {WEEKDAYS.map((day) => (
                <Checkbox key={day} label={t(`contact.weekday.${day}`)} checked={row.weekdays.includes(day)}
                  onChange={(checked) => updateTime(index, { weekdays: checked ? [...row.weekdays, day] : row.weekdays.filter((item) => item !== day) })} />
              ))}
            </div>
            <p className="hint">{t('contact.timeFormat')}</p>
            <div style={{ display: 'flex', gap: '0.75rem', flexWrap: 'wrap' }}>
              <div style={{ flex: '1 1 8rem' }}>
                <Field label={t('contact.from', { number: index + 1 })}>
                  {(props) => <input {...props} aria-invalid={timeErrorAt(index) ? true : undefined} inputMode="numeric" placeholder="21:00" autoComplete="off" value={row.from} onChange={(event) => updateTime(index, { from: event.target.value })} />}
                </Field>
              </div>
              <div style={{ flex: '1 1 8rem' }}>
                <Field label={t('contact.to', { number: index + 1 })}>
                  {(props) => <input {...props} aria-invalid={timeErrorAt(index) ? true : undefined} inputMode="numeric" placeholder="08:00" autoComplete="off" value={row.to} onChange={(event) => updateTime(index, { to: event.target.value })} />}
                </Field>
              </div>
            </div>
            {timeErrorAt(index) ? <p className="field-error" role="alert">{timeErrorAt(index)}</p> : null}
            <button type="button" onClick={() => setTimes((rows) => rows.filter((_, at) => at !== index))}>{t('contact.removeTime', { number: index + 1 })}</button>
          </fieldset>
        ))}
        <button type="button" onClick={() => setTimes((rows) => [...rows, { weekdays: [], from: '', to: '' }])}>{t('contact.addTime')}</button>
      </Group>

      <Field label={t('contact.language')} hint={t('contact.languageHint')} error={fieldError(error, (name) => name === 'preferredLanguage', t('contact.languageInvalid'))}>
        {(props) => (
          <select {...props} value={language} onChange={(event) => setLanguage(event.target.value)}>
            <option value="">{t('contact.languageKeep')}</option>
            <option value="zh-CN">{t('common:languages.zh-CN')}</option>
            <option value="en">{t('common:languages.en')}</option>
          </select>
        )}
      </Field>

      <Group legend={t('contact.ceaseLegend')}>
        <p>{t('contact.ceaseExplanation')}</p>
        <ul>
          <li>{t('contact.ceaseStops')}</li>
          <li>{t('contact.ceaseStillOwed')}</li>
          <li>{t('contact.ceaseReachUs')}</li>
          <li>{t('contact.ceaseWithdraw')}</li>
        </ul>
        <Checkbox name="ceaseContact" label={t('contact.ceaseCheckbox')} checked={cease} onChange={setCease} />
      </Group>

      <FormError error={error} shownAtField={shownAtField} />
      <button type="submit" className="primary" disabled={sending}>{sending ? t('requests.sending') : t('contact.save')}</button>
    </form>
  );
}

function ContactPreferencesScreen() {
  const { t, i18n } = useTranslation(['portal', 'common']);
  const user = useUser();
  const borrowerId = user.borrowerId ?? '';
  const preferences = useLoad(() => api.get<PreferencesView>(`/v1/borrowers/${encodeURIComponent(borrowerId)}/contact-preferences`), [borrowerId]);
  const [saved, setSaved] = useState(false);
  return (
    <Page title={t('contact.title')}>
      <p>{t('contact.intro')}</p>
      <Loaded state={preferences}>
        {(data) => (
          <>
            <section className="card" aria-labelledby="current-heading">
              <h2 id="current-heading">{t('contact.current')}</h2>
              <p><PreferencesSummary preferences={data} /></p>
            </section>
            {saved ? <p className="success" role="status">{t('contact.saved')}</p> : null}
            {/* After a save the form starts again from what the server stored (the newest change). */}
            <PreferencesForm key={data.changes[0]?.id ?? 'none'} initial={data} borrowerId={borrowerId} timeZone={data.timeZone}
              onSending={() => setSaved(false)} onSaved={() => { setSaved(true); preferences.reload(); }} />
            <h2>{t('contact.history')}</h2>
            <DataTable
              caption={t('contact.historyCaption')}
              rows={data.changes}
              rowKey={(change) => change.id}
              columns={[
                { key: 'when', header: t('contact.changedAt'), cell: (change) => formatInstant(change.changedAt, i18n.language) },
                { key: 'who', header: t('contact.changedBy'), cell: (change) => (change.changedByRole === 'borrower' ? t('contact.byYou') : t(`common:roles.${change.changedByRole}`, { defaultValue: change.changedByRole })) },
                { key: 'after', header: t('contact.changedTo'), cell: (change) => <PreferencesSummary preferences={change.after} /> },
              ]}
            />
          </>
        )}
      </Loaded>
    </Page>
  );
}

// ---------------------------------------------------------------------------------------------
// Disputes

function disputeTone(status: Dispute['status']): 'good' | 'bad' | undefined {
  return status === 'rejected' ? 'bad' : undefined;
}

function DisputeScreen() {
  const { t } = useTranslation(['portal', 'common']);
  const { loanId = '' } = useParams();
  const disputes = useLoad(() => api.get<{ items: Dispute[] }>(`/v1/loans/${encodeURIComponent(loanId)}/disputes`), [loanId]);
  const [reason, setReason] = useState<string>('');
  const [text, setText] = useState('');
  const [raised, setRaised] = useState(false);
  const { send, sending, error } = useIdempotentSend();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setRaised(false);
    const body = { reason, text: text.trim() };
    const result = await send(body, (idempotencyKey) => api.post<Dispute>(`/v1/loans/${encodeURIComponent(loanId)}/disputes`, body, { idempotencyKey }));
    if (result) {
      setRaised(true);
      setText('');
      setReason('');
      disputes.reload();
    }
  };
  const reasonError = fieldError(error, (name) => name === 'reason', t('dispute.reasonInvalid'));
  const textError = fieldError(error, (name) => name === 'text', t('dispute.textInvalid'));

  return (
    <Page title={t('dispute.title')} actions={<Link to={`/portal/loans/${loanId}`}>{t('pay.backToLoan')}</Link>}>
      <section className="card" aria-labelledby="dispute-what">
        <h2 id="dispute-what">{t('dispute.whatHappens')}</h2>
        <ul>
          <li>{t('dispute.contactStops')}</li>
          <li>{t('dispute.ageingPauses')}</li>
          <li>{t('dispute.outcome')}</li>
        </ul>
      </section>
      <Loaded state={disputes}>
        {(data) => {
          const open = data.items.find((dispute) => dispute.status === 'open');
          return (
            <>
              {raised ? <p className="success" role="status">{t('dispute.raised')}</p> : null}
              {open ? <p className="hint">{t('dispute.oneOpen')}</p> : (
                <form onSubmit={(event) => void submit(event)} noValidate>
                  <h2>{t('dispute.formTitle')}</h2>
                  <Field label={t('dispute.reason')} error={reasonError}>
                    {(props) => (
                      <select {...props} value={reason} onChange={(event) => setReason(event.target.value)}>
                        <option value="">{t('dispute.chooseReason')}</option>
                        {DISPUTE_REASONS.map((item) => <option key={item} value={item}>{t(`dispute.reasons.${item}`)}</option>)}
                      </select>
                    )}
                  </Field>
                  <Field label={t('dispute.text')} hint={t('dispute.textHint')} error={textError}>
                    {(props) => <textarea {...props} rows={5} maxLength={4000} value={text} onChange={(event) => setText(event.target.value)} />}
                  </Field>
                  <FormError error={error} shownAtField={Boolean(reasonError || textError)} />
                  <button type="submit" className="primary" disabled={sending}>{sending ? t('requests.sending') : t('dispute.submit')}</button>
                </form>
              )}
              <h2>{t('dispute.yours')}</h2>
              {data.items.length === 0 ? <Empty>{t('dispute.none')}</Empty> : (
                <DataTable
                  caption={t('dispute.yours')}
                  rows={data.items}
                  rowKey={(dispute) => dispute.id}
                  columns={[
                    { key: 'raised', header: t('dispute.raisedOn'), cell: (dispute) => <BusinessDateText date={dispute.raisedOn} /> },
                    { key: 'reason', header: t('dispute.reason'), cell: (dispute) => t(`dispute.reasons.${dispute.reason}`, { defaultValue: dispute.reason }) },
                    { key: 'status', header: t('dispute.status'), cell: (dispute) => <StatusBadge label={t(`dispute.statuses.${dispute.status}`)} tone={disputeTone(dispute.status)} /> },
                    { key: 'resolution', header: t('dispute.resolution'), cell: (dispute) => dispute.resolution ?? t('dispute.underReview') },
                  ]}
                />
              )}
            </>
          );
        }}
      </Loaded>
    </Page>
  );
}

// ---------------------------------------------------------------------------------------------
// Hardship plans

function ProposalView({ proposal, currency, showVerdict = true }: { proposal: Proposal; currency: string; showVerdict?: boolean }) {
  const { t } = useTranslation('portal');
  const affordable = proposal.affordability.verdict === 'affordable';
  return (
    <>
      {showVerdict ? (
        <p className={affordable ? 'success' : 'error'} role="status">
          <strong>{t(`hardship.verdict.${proposal.affordability.verdict}`)}</strong>{' '}
          {t('hardship.verdictExplained')}{' '}
          <Money amount={proposal.affordability.disposable} currency={currency} /> / <Money amount={proposal.affordability.largestPayment} currency={currency} />
        </p>
      ) : null}
      <dl className="summary">
        <div><dt>{t('hardship.dueWithoutPlan')}</dt><dd><Money amount={proposal.dueWithoutPlan} currency={currency} /></dd></div>
        <div><dt>{t('hardship.firstPayment')}</dt><dd><Money amount={proposal.firstPayment} currency={currency} /></dd></div>
        <div><dt>{t('hardship.largestPayment')}</dt><dd><Money amount={proposal.largestPayment} currency={currency} /></dd></div>
        <div><dt>{t('hardship.totalInterest')}</dt><dd><Money amount={proposal.totalInterest} currency={currency} /></dd></div>
        <div><dt>{t('hardship.principalOwed')}</dt><dd><Money amount={proposal.principalOwed} currency={currency} /></dd></div>
        <div><dt>{t('hardship.arrears')}</dt><dd><Money amount={proposal.arrears} currency={currency} /></dd></div>
      </dl>
      <h3>{t('hardship.schedule')}</h3>
      <DataTable
        caption={t('hardship.scheduleCaption')}
        rows={proposal.installments}
        rowKey={(installment) => `${installment.number}-${installment.dueDate}`}
        columns={[
          { key: 'number', header: t('loan.number'), cell: (installment) => installment.number },
          { key: 'due', header: t('loan.dueDate'), cell: (installment) => <BusinessDateText date={installment.dueDate} /> },
          { key: 'principal', header: t('loan.principal'), numeric: true, cell: (installment) => <Money amount={installment.principal} currency={currency} /> },
          { key: 'interest', header: t('loan.interest'), numeric: true, cell: (installment) => <Money amount={installment.interest} currency={currency} /> },
          { key: 'total', header: t('loan.total'), numeric: true, cell: (installment) => <Money amount={installment.total} currency={currency} /> },
        ]}
      />
    </>
  );
}

function HardshipRequestCard({ request, loanId }: { request: HardshipRequest; loanId: string }) {
  const { t } = useTranslation('portal');
  return (
    <article className="card" aria-labelledby={`hardship-${request.id}`}>
      <h3 id={`hardship-${request.id}`}>
        {t(`hardship.kinds.${request.plan.kind}`)} · {t('hardship.monthsCount', { count: request.plan.months })}{' '}
        <StatusBadge label={t(`hardship.statuses.${request.status}`)} tone={request.status === 'declined' ? 'bad' : undefined} />
      </h3>
      <p>{t('hardship.requestedOn')} <BusinessDateText date={request.requestedOn} /></p>
      {request.status === 'requested' ? <p>{t('hardship.underReviewExplained')}</p> : null}
      {request.status === 'declined' ? <p>{t('hardship.declinedBecause')} {request.decisionReason}</p> : null}
      {request.status === 'approved' ? (
        <>
          <p>{t('hardship.approvedExplained')} {request.decisionReason}</p>
          <ProposalView proposal={request.proposal} currency={request.currency} showVerdict={false} />
          <p><Link to={`/portal/loans/${loanId}`}>{t('hardship.seeLoan')}</Link></p>
        </>
      ) : null}
    </article>
  );
}

interface PlanForm {
  reason: string;
  income: string;
  expenses: string;
  kind: string;
  months: string;
}

function HardshipScreen() {
  const { t } = useTranslation(['portal', 'common']);
  const { loanId = '' } = useParams();
  const loan = useLoad(() => api.get<LoanSummary>(`/v1/loans/${encodeURIComponent(loanId)}`), [loanId]);
  const requests = useLoad(() => api.get<{ items: HardshipRequest[] }>(`/v1/loans/${encodeURIComponent(loanId)}/hardship-requests`), [loanId]);
  const [form, setForm] = useState<PlanForm>({ reason: '', income: '', expenses: '', kind: 'deferral', months: '3' });
  const [preview, setPreview] = useState<{ body: string; proposal: Proposal } | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [previewError, setPreviewError] = useState<unknown>(null);
  const [requested, setRequested] = useState(false);
  const { send, sending, error } = useIdempotentSend();

  const body = { reason: form.reason.trim(), income: form.income.trim(), expenses: form.expenses.trim(), plan: { kind: form.kind, months: Number(form.months) } };
  const serialized = JSON.stringify(body);
  const previewIsCurrent = preview?.body === serialized;
  const change = (part: Partial<PlanForm>) => setForm((current) => ({ ...current, ...part }));

  const showPreview = async () => {
    setPreviewing(true);
    setPreviewError(null);
    try {
      const result = await api.post<{ proposal: Proposal }>(`/v1/loans/${encodeURIComponent(loanId)}/hardship-plans/preview`, body);
      setPreview({ body: serialized, proposal: result.proposal });
    } catch (caught) {
      setPreview(null);
      setPreviewError(caught);
    } finally {
      setPreviewing(false);
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!previewIsCurrent) {
      await showPreview();
      return;
    }
    const result = await send(body, (idempotencyKey) => api.post<HardshipRequest>(`/v1/loans/${encodeURIComponent(loanId)}/hardship-requests`, body, { idempotencyKey }));
    if (result) {
      setRequested(true);
      setPreview(null);
      requests.reload();
    }
  };

  const anyError = error ?? previewError;
  const errorAt = (name: string, message: string) => fieldError(anyError, (field) => field === name || field.startsWith(`${name}.`), message);
  const reasonError = errorAt('reason', t('hardship.reasonInvalid'));
  const incomeError = errorAt('income', t('hardship.amountInvalid'));
  const expensesError = errorAt('expenses', t('hardship.amountInvalid'));
  const planError = errorAt('plan', t('hardship.monthsInvalid'));

  return (
    <Page title={t('hardship.title')} actions={<Link to={`/portal/loans/${loanId}`}>{t('pay.backToLoan')}</Link>}>
      <p>{t('hardship.intro')}</p>
      <Loaded state={loan}>
        {(summary) => (
          <Loaded state={requests}>
            {(data) => {
              const underReview = data.items.some((request) => request.status === 'requested');
              return (
                <>
                  {requested ? <p className="success" role="status">{t('hardship.requested')}</p> : null}
                  {data.items.length > 0 ? (
                    <section aria-labelledby="hardship-yours">
                      <h2 id="hardship-yours">{t('hardship.yours')}</h2>
                      {data.items.map((request) => <HardshipRequestCard key={request.id} request={request} loanId={loanId} />)}
                    </section>
                  ) : null}
                  {summary.status !== 'active' ? <Empty>{t('hardship.notActive')}</Empty> : underReview ? <p className="hint">{t('hardship.oneUnderReview')}</p> : (
                    <form onSubmit={(event) => void submit(event)} noValidate style={{ maxWidth: '40rem' }}>
                      <h2>{t('hardship.formTitle')}</h2>
                      <Field label={t('hardship.reason')} hint={t('hardship.reasonHint')} error={reasonError}>
                        {(props) => <textarea {...props} rows={4} maxLength={2000} value={form.reason} onChange={(event) => change({ reason: event.target.value })} />}
                      </Field>
                      <Field label={t('hardship.income', { currency: summary.currency })} hint={t('hardship.incomeHint')} error={incomeError}>
                        {(props) => <input {...props} inputMode="decimal" autoComplete="off" value={form.income} onChange={(event) => change({ income: event.target.value })} />}
                      </Field>
                      <Field label={t('hardship.expenses', { currency: summary.currency })} hint={t('hardship.expensesHint')} error={expensesError}>
                        {(props) => <input {...props} inputMode="decimal" autoComplete="off" value={form.expenses} onChange={(event) => change({ expenses: event.target.value })} />}
                      </Field>
                      <Field label={t('hardship.plan')} hint={t(`hardship.kindHints.${form.kind}`)}>
                        {(props) => (
                          <select {...props} value={form.kind} onChange={(event) => change({ kind: event.target.value })}>
                            {PLAN_KINDS.map((kind) => <option key={kind} value={kind}>{t(`hardship.kinds.${kind}`)}</option>)}
                          </select>
                        )}
                      </Field>
                      <Field label={t('hardship.months')} hint={t(`hardship.monthsHints.${form.kind}`)} error={planError}>
                        {(props) => <input {...props} type="number" min={1} step={1} inputMode="numeric" value={form.months} onChange={(event) => change({ months: event.target.value })} />}
                      </Field>
                      <FormError error={anyError} shownAtField={Boolean(reasonError || incomeError || expensesError || planError)} />
                      <p className="page-actions">
                        <button type="button" onClick={() => void showPreview()} disabled={previewing}>{previewing ? t('requests.sending') : t('hardship.preview')}</button>
                      </p>
                      {preview && previewIsCurrent ? (
                        <section className="card" aria-labelledby="proposal-heading">
                          <h2 id="proposal-heading">{t('hardship.proposal')}</h2>
                          <ProposalView proposal={preview.proposal} currency={summary.currency} />
                          <p className="hint">{t('hardship.contactPauses')}</p>
                          <button type="submit" className="primary" disabled={sending}>{sending ? t('requests.sending') : t('hardship.submit')}</button>
                        </section>
                      ) : preview ? <p className="hint">{t('hardship.previewAgain')}</p> : null}
                    </form>
                  )}
                </>
              );
            }}
          </Loaded>
        )}
      </Loaded>
    </Page>
  );
}

// ---------------------------------------------------------------------------------------------
// Complaints

function ComplaintsScreen() {
  const { t } = useTranslation(['portal', 'common']);
  const user = useUser();
  const borrowerId = user.borrowerId ?? '';
  const complaints = useLoad(() => api.get<{ items: Complaint[] }>(`/v1/borrowers/${encodeURIComponent(borrowerId)}/complaints`), [borrowerId]);
  const [category, setCategory] = useState('');
  const [text, setText] = useState('');
  const [referenceKind, setReferenceKind] = useState<'' | 'caseId' | 'attemptId'>('');
  const [reference, setReference] = useState('');
  const [filed, setFiled] = useState<Complaint | null>(null);
  const { send, sending, error } = useIdempotentSend();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFiled(null);
    const body = { category, text: text.trim(), ...(referenceKind && reference.trim() ? { [referenceKind]: reference.trim() } : {}) };
    const result = await send(body, (idempotencyKey) => api.post<Complaint>(`/v1/borrowers/${encodeURIComponent(borrowerId)}/complaints`, body, { idempotencyKey }));
    if (result) {
      setFiled(result);
      setCategory('');
      setText('');
      setReference('');
      setReferenceKind('');
      complaints.reload();
    }
  };
  const categoryError = fieldError(error, (name) => name === 'category', t('complaint.categoryInvalid'));
  const textError = fieldError(error, (name) => name === 'text', t('complaint.textInvalid'));
  const referenceError = fieldError(error, (name) => name === 'caseId' || name === 'attemptId', t('complaint.referenceInvalid'));

  return (
    <Page title={t('complaint.title')}>
      <p>{t('complaint.intro')}</p>
      {filed ? <p className="success" role="status">{t('complaint.filed')} <BusinessDateText date={filed.dueOn} /></p> : null}
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Field label={t('complaint.category')} error={categoryError}>
          {(props) => (
            <select {...props} value={category} onChange={(event) => setCategory(event.target.value)}>
              <option value="">{t('complaint.chooseCategory')}</option>
              {COMPLAINT_CATEGORIES.map((item) => <option key={item} value={item}>{t(`complaint.categories.${item}`)}</option>)}
            </select>
          )}
        </Field>
        <Field label={t('complaint.text')} hint={t('complaint.textHint')} error={textError}>
          {(props) => <textarea {...props} rows={5} maxLength={4000} value={text} onChange={(event) => setText(event.target.value)} />}
        </Field>
        <Field label={t('complaint.referenceKind')} hint={t('complaint.referenceHint')}>
          {(props) => (
            <select {...props} value={referenceKind} onChange={(event) => setReferenceKind(event.target.value as '' | 'caseId' | 'attemptId')}>
              <option value="">{t('complaint.referenceNone')}</option>
              <option value="caseId">{t('complaint.referenceCase')}</option>
              <option value="attemptId">{t('complaint.referenceAttempt')}</option>
            </select>
          )}
        </Field>
        {referenceKind ? (
          <Field label={t('complaint.reference')} error={referenceError}>
            {(props) => <input {...props} autoComplete="off" value={reference} onChange={(event) => setReference(event.target.value)} />}
          </Field>
        ) : null}
        <FormError error={error} shownAtField={Boolean(categoryError || textError || referenceError)} />
        <button type="submit" className="primary" disabled={sending}>{sending ? t('requests.sending') : t('complaint.submit')}</button>
      </form>
      <h2>{t('complaint.yours')}</h2>
      <Loaded state={complaints}>
        {(data) => data.items.length === 0 ? <Empty>{t('complaint.none')}</Empty> : (
          <DataTable
            caption={t('complaint.yours')}
            rows={data.items}
            rowKey={(complaint) => complaint.id}
            columns={[
              { key: 'filed', header: t('complaint.filedOn'), cell: (complaint) => <BusinessDateText date={complaint.filedOn} /> },
              { key: 'category', header: t('complaint.category'), cell: (complaint) => t(`complaint.categories.${complaint.category}`, { defaultValue: complaint.category }) },
              { key: 'status', header: t('complaint.status'), cell: (complaint) => <StatusBadge label={complaint.overdue ? t('complaint.overdue') : t(`complaint.statuses.${complaint.status}`)} tone={complaint.overdue ? 'bad' : undefined} /> },
              { key: 'due', header: t('complaint.dueOn'), cell: (complaint) => <BusinessDateText date={complaint.dueOn} /> },
              { key: 'resolution', header: t('complaint.resolution'), cell: (complaint) => complaint.resolution ?? t('complaint.awaiting') },
            ]}
          />
        )}
      </Loaded>
    </Page>
  );
}

// ---------------------------------------------------------------------------------------------
// Requests: where a borrower starts, one entry per loan

function RequestsScreen() {
  const { t } = useTranslation('portal');
  const loans = useLoad(() => api.get<{ items: LoanSummary[] }>('/v1/loans?limit=50'), []);
  return (
    <Page title={t('requests.title')}>
      <p>{t('requests.intro')}</p>
      <p className="page-actions">
        <Link className="button" to="/portal/contact-preferences">{t('contact.title')}</Link>
        <Link className="button" to="/portal/complaints">{t('complaint.title')}</Link>
      </p>
      <h2>{t('requests.aboutALoan')}</h2>
      <Loaded state={loans}>
        {(data) => {
          const disbursed = data.items.filter((loan) => loan.disbursedOn);
          return disbursed.length === 0 ? <Empty>{t('myLoans.none')}</Empty> : (
            <div className="cards">
              {disbursed.map((loan) => (
                <article key={loan.id} className="card" aria-labelledby={`request-loan-${loan.id}`}>
                  <h3 id={`request-loan-${loan.id}`}><Money amount={loan.principal} currency={loan.currency} /> · <BusinessDateText date={loan.disbursedOn} /></h3>
                  <p className="page-actions">
                    <Link className="button" to={`/portal/loans/${loan.id}/dispute`}>{t('requests.dispute')}</Link>
                    {loan.status === 'active' ? <Link className="button" to={`/portal/loans/${loan.id}/hardship`}>{t('requests.hardship')}</Link> : null}
                  </p>
                </article>
              ))}
            </div>
          );
        }}
      </Loaded>
    </Page>
  );
}

const BORROWERS = ['borrower'] as const;

export const screens: Screen[] = [
  { path: '/portal/requests', area: 'portal', permission: 'loans:read', roles: BORROWERS, titleKey: 'portal:requests.title', navigation: true, component: RequestsScreen },
  { path: '/portal/contact-preferences', area: 'portal', permission: 'contact-preferences:write', roles: BORROWERS, titleKey: 'portal:contact.title', navigation: true, component: ContactPreferencesScreen },
  { path: '/portal/complaints', area: 'portal', permission: 'complaints:file', roles: BORROWERS, titleKey: 'portal:complaint.title', navigation: true, component: ComplaintsScreen },
  { path: '/portal/loans/:loanId/dispute', area: 'portal', permission: 'disputes:raise', roles: BORROWERS, titleKey: 'portal:dispute.title', component: DisputeScreen },
  { path: '/portal/loans/:loanId/hardship', area: 'portal', permission: 'hardship:request', roles: BORROWERS, titleKey: 'portal:hardship.title', component: HardshipScreen },
];
