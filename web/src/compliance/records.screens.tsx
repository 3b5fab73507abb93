import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { api, newIdempotencyKey } from '../shell/api.ts';
import type { Screen } from '../shell/areas.ts';
import { BusinessDateText, DataTable, Empty, ErrorMessage, Field, Loaded, Page, useLoad } from '../shell/components.tsx';
import { EvidenceLinks, FILTER_FORM_STYLE, Instant } from './receipts.screens.tsx';

/**
 * The compliance console's other duties: who saw personal data unmasked, collectors'
 * certifications, complaints with their deadlines, and the evidence pack for a regulator.
 */

const FILTER_ACTIONS_STYLE = { display: 'flex', gap: '0.5rem' } as const;

function queryOf(filters: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value && value.trim()) params.set(key, value.trim());
  return params.toString();
}

interface Access {
  id: string;
  borrowerId: string;
  userId: string;
  role: string;
  reason: string;
  at: string;
}

function UnmaskingScreen() {
  const { t } = useTranslation(['compliance', 'common']);
  const [params, setParams] = useSearchParams();
  const filters = { borrowerId: params.get('borrowerId') ?? '', userId: params.get('userId') ?? '', from: params.get('from') ?? '', to: params.get('to') ?? '' };
  const key = queryOf(filters);
  const [draft, setDraft] = useState(filters);
  const [more, setMore] = useState<{ key: string; items: Access[]; next: string | null; error: unknown }>({ key: '', items: [], next: null, error: null });
  const first = useLoad(() => api.get<{ items: Access[]; next: string | null }>(`/v1/personal-data-access?${key}`), [key]);
  const extra = more.key === key ? more : { key, items: [], next: null, error: null };
  const next = extra.items.length > 0 ? extra.next : first.data?.next ?? null;
  const loadMore = async () => {
    if (!next) return;
    try {
      const page = await api.get<{ items: Access[]; next: string | null }>(`/v1/personal-data-access?${queryOf({ ...filters, cursor: next })}`);
      setMore({ key, items: [...extra.items, ...page.items], next: page.next, error: null });
    } catch (error) {
      setMore({ ...extra, error });
    }
  };
  const input = (name: keyof typeof filters, type = 'text') => (props: { id: string }) => (
    <input {...props} type={type} value={draft[name]} onChange={(event) => setDraft({ ...draft, [name]: event.target.value })} />
  );
  return (
    <Page title={t('unmasking.title')}>
      <p>{t('unmasking.intro')}</p>
      <form style={FILTER_FORM_STYLE} onSubmit={(event) => { event.preventDefault(); setParams(queryOf(draft)); }} aria-label={t('receipts.filters')}>
        <Field label={t('receipts.borrowerId')}>{input('borrowerId')}</Field>
        <Field label={t('unmasking.userId')}>{input('userId')}</Field>
        <Field label={t('receipts.from')}>{input('from', 'date')}</Field>
        <Field label={t('receipts.to')}>{input('to', 'date')}</Field>
        <div className="field" style={FILTER_ACTIONS_STYLE}><button type="submit" className="primary">{t('receipts.search')}</button></div>
      </form>
      <Loaded state={first}>
        {(data) => {
          const rows = [...data.items, ...extra.items];
          if (rows.length === 0) return <Empty>{t('unmasking.none')}</Empty>;
          return (
            <>
              <DataTable
                caption={t('unmasking.caption')}
                rows={rows}
                rowKey={(row) => row.id}
                columns={[
                  { key: 'at', header: t('unmasking.at'), cell: (row) => <Instant value={row.at} /> },
                  { key: 'user', header: t('unmasking.userId'), cell: (row) => row.userId },
                  { key: 'role', header: t('unmasking.role'), cell: (row) => t(`common:roles.${row.role}`, { defaultValue: row.role }) },
                  { key: 'borrower', header: t('receipts.borrowerId'), cell: (row) => row.borrowerId },
                  { key: 'reason', header: t('unmasking.reason'), cell: (row) => row.reason },
                ]}
              />
              {extra.error ? <ErrorMessage error={extra.error} onRetry={loadMore} /> : null}
              {next ? <p><button type="button" onClick={loadMore}>{t('receipts.more')}</button></p> : null}
            </>
          );
        }}
      </Loaded>
    </Page>
  );
}

interface Certification {
  id: string;
  agentId: string;
  agentName: string | null;
  module: string;
  jurisdiction: string;
  channels: string[];
  passedOn: string;
  expiresOn: string | null;
  status: 'valid' | 'expiring' | 'expired' | 'revoked';
}

function CertificationsScreen() {
  const { t } = useTranslation(['compliance', 'common']);
  const [flaggedOnly, setFlaggedOnly] = useState(false);
  const certifications = useLoad(() => api.get<{ today: string; items: Certification[] }>('/v1/collections/certifications'), []);
  return (
    <Page title={t('certifications.title')}>
      <p>{t('certifications.intro')}</p>
      <p>
        <label><input type="checkbox" style={{ width: 'auto', minHeight: 0, marginRight: '0.5rem' }} checked={flaggedOnly} onChange={(event) => setFlaggedOnly(event.target.checked)} />{t('certifications.flaggedOnly')}</label>
      </p>
      <Loaded state={certifications}>
        {(data) => {
          const rows = flaggedOnly ? data.items.filter((row) => row.status !== 'valid') : data.items;
          if (data.items.length === 0) return <Empty>{t('certifications.none')}</Empty>;
          return (
            <>
              <p className="hint">{t('certifications.asOf')} <BusinessDateText date={data.today} /></p>
              <DataTable
                caption={t('certifications.caption')}
                rows={rows}
                rowKey={(row) => row.id}
                columns={[
                  { key: 'collector', header: t('certifications.collector'), cell: (row) => row.agentName ? `${row.agentName} (${row.agentId})` : row.agentId },
                  { key: 'jurisdiction', header: t('certifications.jurisdiction'), cell: (row) => row.jurisdiction },
                  { key: 'channels', header: t('certifications.channels'), cell: (row) => row.channels.map((channel) => t(`channel.${channel}`, { defaultValue: channel })).join('、') },
                  { key: 'module', header: t('certifications.module'), cell: (row) => row.module },
                  { key: 'passed', header: t('certifications.passedOn'), cell: (row) => <BusinessDateText date={row.passedOn} /> },
                  { key: 'expires', header: t('certifications.expiresOn'), cell: (row) => <BusinessDateText date={row.expiresOn} /> },
                  { key: 'status', header: t('certifications.status'), cell: (row) => <span className={row.status === 'valid' ? 'badge' : 'badge late'}>{t(`certifications.statuses.${row.status}`)}</span> },
                ]}
              />
            </>
          );
        }}
      </Loaded>
    </Page>
  );
}

interface Complaint {
  id: string;
  borrowerId: string;
  category: string;
  text: string;
  jurisdiction: string;
  status: 'open' | 'assigned' | 'closed';
  filedOn: string;
  dueOn: string;
  deadlineRule: string;
  overdue: boolean;
  assignedTo: string | null;
  resolution: string | null;
  closedOn: string | null;
}

function ComplaintsScreen() {
  const { t } = useTranslation(['compliance', 'common']);
  const [status, setStatus] = useState('');
  const [overdueOnly, setOverdueOnly] = useState(false);
  const complaints = useLoad(() => api.get<{ items: Complaint[] }>(`/v1/complaints?${queryOf({ status, overdue: overdueOnly ? 'true' : undefined })}`), [status, overdueOnly]);
  return (
    <Page title={t('complaints.title')}>
      <p>{t('complaints.intro')}</p>
      <div style={FILTER_FORM_STYLE}>
        <Field label={t('complaints.status')}>
          {(props) => (
            <select {...props} value={status} onChange={(event) => setStatus(event.target.value)}>
              <option value="">{t('receipts.any')}</option>
              {(['open', 'assigned', 'closed'] as const).map((value) => <option key={value} value={value}>{t(`complaints.statuses.${value}`)}</option>)}
            </select>
          )}
        </Field>
        <div className="field"><label><input type="checkbox" style={{ width: 'auto', minHeight: 0, marginRight: '0.5rem' }} checked={overdueOnly} onChange={(event) => setOverdueOnly(event.target.checked)} />{t('complaints.overdueOnly')}</label></div>
      </div>
      <Loaded state={complaints}>
        {(data) => data.items.length === 0 ? <Empty>{t('complaints.none')}</Empty> : (
          <div>
            {data.items.map((complaint) => <ComplaintCard key={complaint.id} complaint={complaint} onChanged={complaints.reload} />)}
          </div>
        )}
      </Loaded>
    </Page>
  );
}

function ComplaintCard({ complaint, onChanged }: { complaint: Complaint; onChanged: () => void }) {
  const { t } = useTranslation(['compliance', 'common']);
  const [assignee, setAssignee] = useState(complaint.assignedTo ?? '');
  const [resolution, setResolution] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // One key per action, kept while the same action is retried (a lost answer is not done twice).
  const keys = useRef<{ assign?: string; close?: string }>({});
  const act = async (action: 'assign' | 'close', body: object) => {
    keys.current[action] ??= newIdempotencyKey();
    setBusy(true);
    setError(null);
    try {
      await api.post(`/v1/complaints/${complaint.id}/${action}`, body, { idempotencyKey: keys.current[action] });
      keys.current[action] = undefined;
      onChanged();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  const headingId = `complaint-${complaint.id}`;
  return (
    <article className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{t(`complaints.categories.${complaint.category}`, { defaultValue: complaint.category })}</h2>
      <p>
        <span className="badge">{t(`complaints.statuses.${complaint.status}`)}</span>{' '}
        {complaint.overdue ? <span className="badge late">{t('complaints.overdue')}</span> : null}
      </p>
      <p>{complaint.text}</p>
      <dl className="summary">
        <div><dt>{t('receipts.borrowerId')}</dt><dd style={{ overflowWrap: 'anywhere' }}>{complaint.borrowerId}</dd></div>
        <div><dt>{t('complaints.filedOn')}</dt><dd><BusinessDateText date={complaint.filedOn} /></dd></div>
        <div><dt>{t('complaints.dueOn')}</dt><dd><BusinessDateText date={complaint.dueOn} /> <span className="hint">({complaint.deadlineRule})</span></dd></div>
        <div><dt>{t('complaints.assignedTo')}</dt><dd>{complaint.assignedTo ?? '—'}</dd></div>
      </dl>
      {complaint.status === 'closed' ? (
        <p><strong>{t('complaints.resolution')}:</strong> {complaint.resolution}</p>
      ) : (
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(16rem, 1fr))', gap: '1rem', marginTop: '1rem' }}>
          <form onSubmit={(event: FormEvent) => { event.preventDefault(); void act('assign', { assignee: assignee.trim() }); }}>
            <Field label={t('complaints.assignee')} hint={t('complaints.assigneeHint')}>
              {(props) => <input {...props} value={assignee} required onChange={(event) => setAssignee(event.target.value)} />}
            </Field>
            <button type="submit" disabled={busy || !assignee.trim()}>{t('complaints.assign')}</button>
          </form>
          <form onSubmit={(event: FormEvent) => { event.preventDefault(); void act('close', { resolution: resolution.trim() }); }}>
            <Field label={t('complaints.resolution')} hint={t('complaints.resolutionHint')}>
              {(props) => <textarea {...props} value={resolution} required rows={3} onChange={(event) => setResolution(event.target.value)} />}
            </Field>
            <button type="submit" className="primary" disabled={busy || !resolution.trim()}>{t('complaints.close')}</button>
          </form>
        </div>
      )}
      {error ? <ErrorMessage error={error} /> : null}
    </article>
  );
}

interface EvidenceExport {
  id: string;
  borrowerId: string | null;
  fromDate: string | null;
  toDate: string | null;
  format: string;
  exportedBy: string;
  exportedAt: string;
  recordCounts: Record<string, number>;
}

function EvidenceScreen() {
  const { t } = useTranslation(['compliance', 'common']);
  const [draft, setDraft] = useState({ borrowerId: '', from: '', to: '' });
  const [chosen, setChosen] = useState<typeof draft | null>(null);
  const exports = useLoad(() => api.get<{ items: EvidenceExport[] }>('/v1/compliance/evidence-exports'), []);
  const ready = (value: typeof draft) => value.borrowerId.trim() !== '' || (value.from !== '' && value.to !== '');
  return (
    <Page title={t('evidence.title')}>
      <p>{t('evidence.intro')}</p>
      <form style={FILTER_FORM_STYLE} onSubmit={(event) => { event.preventDefault(); setChosen(draft); }} aria-label={t('evidence.scope')}>
        <Field label={t('receipts.borrowerId')} hint={t('evidence.borrowerHint')}>{(props) => <input {...props} value={draft.borrowerId} onChange={(event) => setDraft({ ...draft, borrowerId: event.target.value })} />}</Field>
        <Field label={t('receipts.from')}>{(props) => <input {...props} type="date" value={draft.from} onChange={(event) => setDraft({ ...draft, from: event.target.value })} />}</Field>
        <Field label={t('receipts.to')}>{(props) => <input {...props} type="date" value={draft.to} onChange={(event) => setDraft({ ...draft, to: event.target.value })} />}</Field>
        <div className="field" style={FILTER_ACTIONS_STYLE}><button type="submit" className="primary" disabled={!ready(draft)}>{t('evidence.prepare')}</button></div>
      </form>
      {chosen && ready(chosen) ? (
        <section className="card" aria-label={t('evidence.downloads')}>
          <p>{t('evidence.audited')}</p>
          <EvidenceLinks borrowerId={chosen.borrowerId.trim() || undefined} from={chosen.from || undefined} to={chosen.to || undefined} />
          <p><button type="button" onClick={exports.reload}>{t('evidence.refreshLog')}</button></p>
        </section>
      ) : <p className="hint">{t('evidence.needScope')}</p>}
      <h2>{t('evidence.log')}</h2>
      <Loaded state={exports}>
        {(data) => (
          <DataTable
            caption={t('evidence.log')}
            rows={data.items}
            rowKey={(row) => row.id}
            columns={[
              { key: 'at', header: t('evidence.exportedAt'), cell: (row) => <Instant value={row.exportedAt} /> },
              { key: 'by', header: t('evidence.exportedBy'), cell: (row) => row.exportedBy },
              { key: 'borrower', header: t('receipts.borrowerId'), cell: (row) => row.borrowerId ?? t('evidence.allBorrowers') },
              { key: 'period', header: t('evidence.period'), cell: (row) => (row.fromDate || row.toDate ? `${row.fromDate ?? '…'} – ${row.toDate ?? '…'}` : '—') },
              { key: 'format', header: t('evidence.format'), cell: (row) => row.format.toUpperCase() },
              { key: 'records', header: t('evidence.records'), numeric: true, cell: (row) => Object.values(row.recordCounts).reduce((total, count) => total + count, 0) },
            ]}
          />
        )}
      </Loaded>
    </Page>
  );
}

export const screens: Screen[] = [
  { path: '/compliance/unmasking', area: 'compliance', permission: 'compliance:read', titleKey: 'compliance:unmasking.title', navigation: true, component: UnmaskingScreen },
  { path: '/compliance/certifications', area: 'compliance', permission: 'compliance:read', titleKey: 'compliance:certifications.title', navigation: true, component: CertificationsScreen },
  { path: '/compliance/complaints', area: 'compliance', permission: 'compliance:read', titleKey: 'compliance:complaints.title', navigation: true, component: ComplaintsScreen },
  { path: '/compliance/evidence', area: 'compliance', permission: 'compliance:read', titleKey: 'compliance:evidence.title', navigation: true, component: EvidenceScreen },
];
