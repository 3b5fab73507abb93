import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, newIdempotencyKey } from '../shell/api.ts';
import { ErrorMessage, Field } from '../shell/components.tsx';
import { formatInstant } from '../shell/format.ts';
import './workbench.css';

/**
 * What the workbench screens share: the gate's decision as words, instants in the borrower's local
 * time, the audited reveal of personal data, and idempotency keys kept across retries of one action.
 */

/** The gate's decision as the server returns it from a contact or check-in. */
export interface GateDecision {
  decision: 'allow' | 'deny';
  reasons: Array<{ code: string; rule: string; message: string }>;
  warnings: Array<{ code: string; rule: string; message: string }>;
  allowAfter: string | null;
  policy: string;
}

/**
 * An instant in a given time zone with the zone's short name, e.g. "Jan 12, 2026, 8:00 AM EST".
 *
 * @example instantIn('2026-01-12T13:00:00Z', 'America/New_York', 'en') // 'Jan 12, 2026, 8:00 AM EST'
 */
export function instantIn(instant: string | null | undefined, timeZone: string | null | undefined, locale: string): string {
  if (!instant) return '—';
  if (!timeZone) return formatInstant(instant, locale);
  // dateStyle cannot be combined with timeZoneName, so the parts are named one by one.
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZone, timeZoneName: 'short' }).format(new Date(instant));
}

/** The reason codes of a decision, in words for people (the code stays visible for reference). */
export function ReasonList({ codes }: { codes: readonly string[] }) {
  const { t } = useTranslation('workbench');
  if (codes.length === 0) return null;
  return (
    <ul className="reasons">
      {codes.map((code) => <li key={code}>{t(`reasons.${code}`, { defaultValue: code })} <code>{code}</code></li>)}
    </ul>
  );
}

/**
 * The gate's answer, shown before the agent dials or sends: allowed, refused, or refused until an
 * instant (in the borrower's local time and the agent's own), with reasons and the receipt id.
 */
export function DecisionPanel({ decision, receiptId, timeZone }: { decision: GateDecision; receiptId: string; timeZone: string | null }) {
  const { t, i18n } = useTranslation('workbench');
  const allowed = decision.decision === 'allow';
  return (
    <div className={allowed ? 'success decision' : 'error decision'} role={allowed ? 'status' : 'alert'}>
      <strong>{allowed ? t('gate.allowed') : decision.allowAfter ? t('gate.deferred') : t('gate.denied')}</strong>
      <ReasonList codes={decision.reasons.map((reason) => reason.code)} />
      {decision.allowAfter ? (
        <p>
          {t('gate.nextAllowed', { local: instantIn(decision.allowAfter, timeZone, i18n.language), yours: formatInstant(decision.allowAfter, i18n.language) })}
        </p>
      ) : null}
      {decision.warnings.length > 0 ? <p>{t('gate.warnings')}: {decision.warnings.map((warning) => t(`reasons.${warning.code}`, { defaultValue: warning.code })).join('; ')}</p> : null}
      <p className="hint">{t('gate.receipt')}: <code>{receiptId}</code> · {t('gate.policy')}: {decision.policy}</p>
    </div>
  );
}

/**
 * One idempotency key per user action: made on the first try, kept while the action is retried after
 * a network or server failure, and dropped once the server has answered (done, or refused the input).
 *
 * @example const action = useActionKey(); await api.post(url, body, { idempotencyKey: action.key() }); action.finish();
 */
export function useActionKey() {
  const current = useRef<string | null>(null);
  return {
    key: () => (current.current ??= newIdempotencyKey()),
    finish: () => {
      current.current = null;
    },
    /** After a failure: keep the key only when the server may have done the action without us hearing. */
    failed: (error: unknown) => {
      if (error instanceof ApiError && error.status >= 400 && error.status < 500) current.current = null;
    },
  };
}

export interface Revealed {
  fullName: string;
  phones: string[];
  emails: string[];
  addresses: string[];
  reason: string;
}

/**
 * Personal data stays masked until the user states why they need it; the server records who, when
 * and why before it answers.
 */
export function RevealForm({ path, onRevealed }: { path: string; onRevealed: (revealed: Revealed) => void }) {
  const { t } = useTranslation('workbench');
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const tooShort = reason.trim().length < 5;
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (tooShort) return;
    setBusy(true);
    setError(null);
    try {
      onRevealed(await api.post<Revealed>(path, { reason: reason.trim() }));
      setOpen(false);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }
  if (!open) return <button type="button" onClick={() => setOpen(true)}>{t('reveal.button')}</button>;
  return (
    <form onSubmit={(event) => void submit(event)} className="inline-form">
      <Field label={t('reveal.reason')} hint={t('reveal.hint')} error={reason.length > 0 && tooShort ? t('reveal.tooShort') : null}>
        {(props) => <input {...props} value={reason} onChange={(event) => setReason(event.target.value)} maxLength={500} autoFocus />}
      </Field>
      <button type="submit" disabled={busy || tooShort}>{t('reveal.submit')}</button>
      <button type="button" onClick={() => setOpen(false)}>{t('common:form.cancel')}</button>
      {error ? <ErrorMessage error={error} /> : null}
    </form>
  );
}

/** What the reveal returned, with the reason it was asked for. */
export function RevealedDetails({ revealed }: { revealed: Revealed }) {
  const { t } = useTranslation('workbench');
  return (
    <dl className="summary revealed">
      <div><dt>{t('borrower.name')}</dt><dd>{revealed.fullName}</dd></div>
      {revealed.phones.length > 0 ? <div><dt>{t('borrower.phone')}</dt><dd>{revealed.phones.join(', ')}</dd></div> : null}
      {revealed.emails.length > 0 ? <div><dt>{t('borrower.email')}</dt><dd>{revealed.emails.join(', ')}</dd></div> : null}
      {revealed.addresses.length > 0 ? <div><dt>{t('borrower.address')}</dt><dd>{revealed.addresses.join('; ')}</dd></div> : null}
      <div><dt>{t('reveal.recordedReason')}</dt><dd>{revealed.reason}</dd></div>
    </dl>
  );
}
