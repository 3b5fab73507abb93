import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { api } from '../shell/api.ts';
import type { Screen } from '../shell/areas.ts';
import { DataTable, Empty, ErrorMessage, Field, Loaded, Page, useLoad } from '../shell/components.tsx';
import { formatInstant, todayOnDevice } from '../shell/format.ts';
import { RuleCountChart } from './rule-chart.tsx';

/**
 * The compliance console's view of the contact gate: stored receipts searched and opened, and the
 * refusals and warnings counted per rule and channel with a drill-down to the receipts behind a count.
 */

interface Reason {
  code: string;
  rule: string;
  message: string;
}

export interface Receipt {
  id: string;
  borrowerId: string;
  debtId: string;
  agentId: string | null;
  channel: string | null;
  attemptAt: string;
  decision: 'allow' | 'deny' | 'defer';
  allowAfter: string | null;
  policy: string;
  packId: string;
  packVersion: string;
  reasons: Reason[];
  warnings: Reason[];
  request: unknown;
  overlay: unknown;
}

// Inputs are long and nested: they scroll inside their box rather than widen the page.
const JSON_STYLE = { overflowX: 'auto', background: '#f4f6f8', padding: '0.75rem', borderRadius: '6px', fontSize: '0.85rem', maxHeight: '24rem' } as const;
/** Filters sit side by side on wide screens and stack on phones. */
export const FILTER_FORM_STYLE = { maxWidth: 'none', display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(12rem, 1fr))', gap: '0 1rem', alignItems: 'end' } as const;
// Ids are long and unbroken: they wrap anywhere instead of running into the next column.
const ID_STYLE = { overflowWrap: 'anywhere', fontSize: '0.95rem' } as const;
const FILTERS = ['borrowerId', 'agentId', 'rule', 'decision', 'channel', 'from', 'to'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;
const DECISIONS = ['allow', 'deny', 'defer'] as const;
const CHANNELS = ['call', 'voicemail', 'sms', 'email', 'letter', 'visit'] as const;

function filtersOf(params: URLSearchParams): Filters {
  const filters: Filters = {};
  for (const key of FILTERS) {
    const value = params.get(key)?.trim();
    if (value) filters[key] = value;
  }
  return filters;
}

function queryOf(filters: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  return params.toString();
}

/** The decision as a badge: refusals stand out. */
export function DecisionBadge({ decision }: { decision: Receipt['decision'] }) {
  const { t } = useTranslation('compliance');
  return <span className={decision === 'allow' ? 'badge' : 'badge late'}>{t(`decision.${decision}`)}</span>;
}

export function Instant({ value }: { value: string | null | undefined }) {
  const { i18n } = useTranslation();
  return <time dateTime={value ?? undefined}>{formatInstant(value, i18n.language)}</time>;
}

/** The evidence pack for one borrower as CSV and JSON downloads (the server records each export). */
export function EvidenceLinks({ borrowerId, from, to }: { borrowerId?: string; from?: string; to?: string }) {
  const { t } = useTranslation('compliance');
  const query = (format: string) => queryOf({ borrowerId, from, to, format });
  return (
    <div className="page-actions">
      <a className="button" href={`/v1/compliance/evidence-pack?${query('csv')}`} download>{t('evidence.downloadCsv')}</a>
      <a className="button" href={`/v1/compliance/evidence-pack?${query('json')}`} download>{t('evidence.downloadJson')}</a>
    </div>
  );
}

function ReceiptsScreen() {
  const { t } = useTranslation(['compliance', 'common']);
  const [params, setParams] = useSearchParams();
  const filters = filtersOf(params);
  const key = queryOf(filters);
  const [draft, setDraft] = useState<Filters>(filters);
  const [pages, setPages] = useState<{ key: string; items: Receipt[]; next: string | null; loading: boolean; error: unknown }>({ key: '', items: [], next: null, loading: false, error: null });
  const first = useLoad(() => api.get<{ items: Receipt[]; next: string | null }>(`/v1/compliance/receipts?${key}`), [key]);
  const extra = pages.key === key ? pages : { key, items: [], next: null, loading: false, error: null };
  const next = extra.items.length > 0 ? extra.next : first.data?.next ?? null;

  const search = (event: FormEvent) => {
    event.preventDefault();
    setParams(queryOf(draft));
  };
  const loadMore = async () => {
    if (!next) return;
    setPages({ ...extra, loading: true, error: null });
    try {
      const page = await api.get<{ items: Receipt[]; next: string | null }>(`/v1/compliance/receipts?${queryOf({ ...filters, cursor: next })}`);
      setPages({ key, items: [...extra.items, ...page.items], next: page.next, loading: false, error: null });
    } catch (error) {
      setPages({ ...extra, loading: false, error });
    }
  };
  const input = (name: (typeof FILTERS)[number], type = 'text') => (props: { id: string }) => (
    <input {...props} type={type} value={draft[name] ?? ''} onChange={(event) => setDraft({ ...draft, [name]: event.target.value })} />
  );

  return (
    <Page title={t('receipts.title')}>
      <p>{t('receipts.intro')}</p>
      <form className="filters" style={FILTER_FORM_STYLE} onSubmit={search} aria-label={t('receipts.filters')}>
        <Field label={t('receipts.borrowerId')} hint={t('receipts.borrowerIdHint')}>{input('borrowerId')}</Field>
        <Field label={t('receipts.agentId')}>{input('agentId')}</Field>
        <Field label={t('receipts.rule')} hint={t('receipts.ruleHint')}>{input('rule')}</Field>
        <Field label={t('receipts.decision')}>
          {(props) => (
            <select {...props} value={draft.decision ?? ''} onChange={(event) => setDraft({ ...draft, decision: event.target.value })}>
              <option value="">{t('receipts.any')}</option>
              {DECISIONS.map((decision) => <option key={decision} value={decision}>{t(`decision.${decision}`)}</option>)}
            </select>
          )}
        </Field>
        <Field label={t('receipts.channel')}>
          {(props) => (
            <select {...props} value={draft.channel ?? ''} onChange={(event) => setDraft({ ...draft, channel: event.target.value })}>
              <option value="">{t('receipts.any')}</option>
              {CHANNELS.map((channel) => <option key={channel} value={channel}>{t(`channel.${channel}`)}</option>)}
            </select>
          )}
        </Field>
        <Field label={t('receipts.from')}>{input('from', 'date')}</Field>
        <Field label={t('receipts.to')}>{input('to', 'date')}</Field>
        <div className="filter-actions field" style={{ display: 'flex', gap: '0.5rem' }}>
          <button type="submit" className="primary">{t('receipts.search')}</button>
          <button type="button" onClick={() => { setDraft({}); setParams(''); }}>{t('receipts.clear')}</button>
        </div>
      </form>
      {filters.borrowerId ? <EvidenceLinks borrowerId={filters.borrowerId} from={filters.from} to={filters.to} /> : null}
      <Loaded state={first}>
        {(data) => {
          const rows = [...data.items, ...extra.items];
          if (rows.length === 0) return <Empty>{t('receipts.none')}</Empty>;
          return (
            <>
              <DataTable
                caption={t('receipts.caption')}
                rows={rows}
                rowKey={(receipt) => receipt.id}
                columns={[
                  { key: 'at', header: t('receipts.attemptAt'), cell: (receipt) => <Instant value={receipt.attemptAt} /> },
                  { key: 'borrower', header: t('receipts.borrowerId'), cell: (receipt) => receipt.borrowerId },
                  { key: 'channel', header: t('receipts.channel'), cell: (receipt) => (receipt.channel ? t(`channel.${receipt.channel}`, { defaultValue: receipt.channel }) : '—') },
                  { key: 'decision', header: t('receipts.decision'), cell: (receipt) => <DecisionBadge decision={receipt.decision} /> },
                  { key: 'rules', header: t('receipts.rules'), cell: (receipt) => receipt.reasons.map((reason) => reason.rule).join(', ') || '—' },
                  { key: 'agent', header: t('receipts.agentId'), cell: (receipt) => receipt.agentId ?? t('receipts.automated') },
                  { key: 'open', header: t('receipts.details'), cell: (receipt) => <Link to={`/compliance/receipts/${receipt.id}`} aria-label={t('receipts.openLabel', { id: receipt.id })}>{t('receipts.open')}</Link> },
                ]}
              />
              {extra.error ? <ErrorMessage error={extra.error} onRetry={loadMore} /> : null}
              {next ? <p><button type="button" onClick={loadMore} disabled={extra.loading}>{extra.loading ? t('common:loading') : t('receipts.more')}</button></p> : null}
            </>
          );
        }}
      </Loaded>
    </Page>
  );
}

function ReceiptScreen() {
  const { t } = useTranslation(['compliance', 'common']);
  const { id = '' } = useParams();
  const receipt = useLoad(() => api.get<Receipt>(`/v1/compliance/receipts/${encodeURIComponent(id)}`), [id]);
  return (
    <Page title={t('receipt.title')} actions={<Link to="/compliance/receipts">{t('receipt.back')}</Link>}>
      <Loaded state={receipt}>
        {(data) => (
          <>
            <section className="card" aria-labelledby="receipt-summary">
              <h2 id="receipt-summary" style={ID_STYLE}>{data.id}</h2>
              <dl className="summary">
                <div><dt>{t('receipts.decision')}</dt><dd><DecisionBadge decision={data.decision} /></dd></div>
                <div><dt>{t('receipts.attemptAt')}</dt><dd><Instant value={data.attemptAt} /></dd></div>
                {data.allowAfter ? <div><dt>{t('receipt.allowAfter')}</dt><dd><Instant value={data.allowAfter} /></dd></div> : null}
                <div><dt>{t('receipt.pack')}</dt><dd>{data.packId}</dd></div>
                <div><dt>{t('receipt.version')}</dt><dd>{data.packVersion}</dd></div>
                <div><dt>{t('receipts.channel')}</dt><dd>{data.channel ? t(`channel.${data.channel}`, { defaultValue: data.channel }) : '—'}</dd></div>
                <div><dt>{t('receipts.borrowerId')}</dt><dd style={ID_STYLE}>{data.borrowerId}</dd></div>
                <div><dt>{t('receipt.debt')}</dt><dd style={ID_STYLE}>{data.debtId}</dd></div>
                <div><dt>{t('receipts.agentId')}</dt><dd style={ID_STYLE}>{data.agentId ?? t('receipts.automated')}</dd></div>
              </dl>
            </section>
            <section className="card" aria-labelledby="receipt-reasons">
              <h2 id="receipt-reasons">{t('receipt.reasons')}</h2>
              <ReasonList reasons={data.reasons} empty={t('receipt.noReasons')} />
              <h3>{t('receipt.warnings')}</h3>
              <ReasonList reasons={data.warnings} empty={t('receipt.noWarnings')} />
            </section>
            <section className="card" aria-labelledby="receipt-inputs">
              <h2 id="receipt-inputs">{t('receipt.inputs')}</h2>
              <p className="hint">{t('receipt.inputsHint')}</p>
              <pre className="json" style={JSON_STYLE} tabIndex={0}>{JSON.stringify(data.request, null, 2)}</pre>
              {data.overlay ? (<><h3>{t('receipt.overlay')}</h3><pre className="json" style={JSON_STYLE} tabIndex={0}>{JSON.stringify(data.overlay, null, 2)}</pre></>) : null}
            </section>
            <section className="card" aria-labelledby="receipt-evidence">
              <h2 id="receipt-evidence">{t('evidence.forBorrower')}</h2>
              <p>{t('evidence.intro')}</p>
              <EvidenceLinks borrowerId={data.borrowerId} />
            </section>
          </>
        )}
      </Loaded>
    </Page>
  );
}

function ReasonList({ reasons, empty }: { reasons: Reason[]; empty: string }) {
  if (reasons.length === 0) return <p className="empty">{empty}</p>;
  return (
    <ul className="reasons">
      {reasons.map((reason, index) => <li key={`${reason.rule}-${index}`}><strong>{reason.rule}</strong> <code>{reason.code}</code> — {reason.message}</li>)}
    </ul>
  );
}

interface RuleCount {
  rule: string;
  code: string;
  channel: string;
  kind: 'reason' | 'warning';
  count: number;
}

function addDaysTo(date: string, days: number): string {
  const instant = new Date(`${date}T00:00:00Z`);
  instant.setUTCDate(instant.getUTCDate() + days);
  return instant.toISOString().slice(0, 10);
}

function RuleCountsScreen() {
  const { t } = useTranslation(['compliance', 'common']);
  const [params, setParams] = useSearchParams();
  const to = params.get('to') ?? todayOnDevice();
  const from = params.get('from') ?? addDaysTo(to, -29);
  const [draft, setDraft] = useState({ from, to });
  const counts = useLoad(() => api.get<{ from: string; to: string; items: RuleCount[] }>(`/v1/compliance/rule-counts?${queryOf({ from, to })}`), [from, to]);
  return (
    <Page title={t('ruleCounts.title')}>
      <p>{t('ruleCounts.intro')}</p>
      <form className="filters" style={FILTER_FORM_STYLE} onSubmit={(event) => { event.preventDefault(); setParams(queryOf(draft)); }} aria-label={t('ruleCounts.period')}>
        <Field label={t('receipts.from')}>{(props) => <input {...props} type="date" value={draft.from} onChange={(event) => setDraft({ ...draft, from: event.target.value })} />}</Field>
        <Field label={t('receipts.to')}>{(props) => <input {...props} type="date" value={draft.to} onChange={(event) => setDraft({ ...draft, to: event.target.value })} />}</Field>
        <div className="filter-actions field" style={{ display: 'flex', gap: '0.5rem' }}><button type="submit" className="primary">{t('ruleCounts.show')}</button></div>
      </form>
      <Loaded state={counts}>
        {(data) => data.items.length === 0 ? <Empty>{t('ruleCounts.none')}</Empty> : (
          <>
          {data.items.some((row) => row.kind === 'reason') ? <RuleCountChart rows={data.items} label={t('ruleCounts.chart', { from: data.from, to: data.to })} /> : null}
          <DataTable
            caption={t('ruleCounts.caption', { from: data.from, to: data.to })}
            rows={data.items}
            rowKey={(row) => `${row.rule}|${row.code}|${row.channel}|${row.kind}`}
            columns={[
              { key: 'rule', header: t('receipts.rule'), cell: (row) => <strong>{row.rule}</strong> },
              { key: 'code', header: t('ruleCounts.code'), cell: (row) => <code>{row.code}</code> },
              { key: 'channel', header: t('receipts.channel'), cell: (row) => t(`channel.${row.channel}`, { defaultValue: row.channel }) },
              { key: 'kind', header: t('ruleCounts.kind'), cell: (row) => <span className={row.kind === 'reason' ? 'badge late' : 'badge'}>{t(`ruleCounts.${row.kind}`)}</span> },
              { key: 'count', header: t('ruleCounts.count'), numeric: true, cell: (row) => row.count },
              {
                key: 'receipts', header: t('ruleCounts.receipts'),
                cell: (row) => <Link to={`/compliance/receipts?${queryOf({ rule: row.rule, channel: row.channel === 'unknown' ? undefined : row.channel, from: data.from, to: data.to })}`}>{t('ruleCounts.drillDown')}</Link>,
              },
            ]}
          />
          </>
        )}
      </Loaded>
    </Page>
  );
}

export const screens: Screen[] = [
  { path: '/compliance/receipts', area: 'compliance', permission: 'compliance:read', titleKey: 'compliance:receipts.title', navigation: true, component: ReceiptsScreen },
  { path: '/compliance/receipts/:id', area: 'compliance', permission: 'compliance:read', titleKey: 'compliance:receipt.title', navigation: false, component: ReceiptScreen },
  { path: '/compliance/rule-counts', area: 'compliance', permission: 'compliance:read', titleKey: 'compliance:ruleCounts.title', navigation: true, component: RuleCountsScreen },
];
