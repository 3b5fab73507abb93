import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { api, newIdempotencyKey } from '../shell/api.ts';
import type { Screen } from '../shell/areas.ts';
import { BusinessDateText, DataTable, ErrorMessage, Field, Loaded, Money, Page, useLoad } from '../shell/components.tsx';
import './supervisor.css';

interface CaseRow {
  id: string; loanId: string; borrower: { name: string }; jurisdiction: string; language: string; status: string; agentId: string | null; agentName: string | null;
  openedOn: string; lastRightPartyContactOn: string | null; daysPastDue: number; bucket: string | null; currency: string; outstanding: string;
}
interface Collector {
  agentId: string; displayName: string; languages: string[]; jurisdictions: string[]; region: string | null; capacity: number; active: boolean; openCases: number;
  certification: { status: 'certified' | 'expiring' | 'expired' | 'uncertified'; jurisdictions: string[]; channels: string[]; certifiedUntil: string | null };
}
type Assignment = 'all' | 'unassigned' | 'assigned';

function Reassign({ row, collectors, onDone }: { row: CaseRow; collectors: Collector[]; onDone: (message: string) => void }) {
  const { t } = useTranslation('supervisor');
  const [agentId, setAgentId] = useState(row.agentId ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const attempt = useRef<{ agentId: string; key: string } | null>(null);
  async function assign() {
    if (!agentId || agentId === row.agentId) return;
    if (attempt.current?.agentId !== agentId) attempt.current = { agentId, key: newIdempotencyKey() };
    setBusy(true);
    setError(null);
    try {
      await api.post(`/v1/collections/cases/${row.id}/assign`, { agentId }, { idempotencyKey: attempt.current.key });
      onDone(t('assignment.done', { borrower: row.borrower.name, agent: collectors.find((collector) => collector.agentId === agentId)?.displayName ?? agentId }));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }
  return (
    <div>
      <form className="inline-form" onSubmit={(event) => { event.preventDefault(); void assign(); }}>
        <Field label={t('assignment.agentFor', { borrower: row.borrower.name })}>
          {(props) => (
            <select {...props} value={agentId} onChange={(event) => setAgentId(event.target.value)}>
              <option value="">{t('assignment.choose')}</option>
              {collectors.map((collector) => (
                <option key={collector.agentId} value={collector.agentId}>
                  {t('assignment.option', { name: collector.displayName, open: collector.openCases, capacity: collector.capacity, status: t(`roster.certification.${collector.certification.status}`) })}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit" disabled={busy || !agentId || agentId === row.agentId}>{row.agentId ? t('assignment.reassign') : t('assignment.assign')}</button>
      </form>
      {error ? <ErrorMessage error={error} /> : null}
    </div>
  );
}

function AssignmentScreen() {
  const { t } = useTranslation('supervisor');
  const [search, setSearch] = useSearchParams();
  const assignment = (['all', 'unassigned', 'assigned'].includes(search.get('show') ?? '') ? search.get('show') : 'all') as Assignment;
  const cases = useLoad(() => api.get<{ items: CaseRow[] }>(`/v1/collections/cases?assignment=${assignment}`), [assignment]);
  const roster = useLoad(() => api.get<{ items: Collector[] }>('/v1/collections/roster'), []);
  const [message, setMessage] = useState<string | null>(null);
  return (
    <Page title={t('assignment.title')}>
      <Field label={t('assignment.show')}>
        {(props) => (
          <select {...props} value={assignment} onChange={(event) => setSearch({ show: event.target.value })}>
            {(['all', 'unassigned', 'assigned'] as const).map((value) => <option key={value} value={value}>{t(`assignment.filter.${value}`)}</option>)}
          </select>
        )}
      </Field>
      {message ? <p className="success" role="status">{message}</p> : null}
      <Loaded state={cases}>
        {(data) => (
          <DataTable caption={t('assignment.caption')} rows={data.items} rowKey={(row) => row.id} columns={[
            { key: 'borrower', header: t('assignment.borrower'), cell: (row) => `${row.borrower.name} · ${row.jurisdiction}` },
            { key: 'dpd', header: t('assignment.dpd'), numeric: true, cell: (row) => row.daysPastDue },
            { key: 'outstanding', header: t('approvals.outstanding'), numeric: true, cell: (row) => <Money amount={row.outstanding} currency={row.currency} /> },
            { key: 'status', header: t('assignment.status'), cell: (row) => t(`assignment.caseStatus.${row.status}`, { defaultValue: row.status }) },
            { key: 'contact', header: t('approvals.visits.lastContact'), cell: (row) => (row.lastRightPartyContactOn ? <BusinessDateText date={row.lastRightPartyContactOn} /> : t('approvals.visits.never')) },
            { key: 'agent', header: t('assignment.agent'), cell: (row) => row.agentName ?? row.agentId ?? <span className="badge late">{t('assignment.unassigned')}</span> },
            { key: 'reassign', header: t('assignment.action'), cell: (row) => <Reassign row={row} collectors={roster.data?.items.filter((collector) => collector.active) ?? []} onDone={(text) => { setMessage(text); cases.reload(); roster.reload(); }} /> },
          ]} />
        )}
      </Loaded>
    </Page>
  );
}

function RosterScreen() {
  const { t, i18n } = useTranslation('supervisor');
  const roster = useLoad(() => api.get<{ businessDate: string; items: Collector[] }>('/v1/collections/roster'), []);
  return (
    <Page title={t('roster.title')}>
      <Loaded state={roster}>
        {(data) => (
          <>
            <p className="hint">{t('roster.asOf')} <BusinessDateText date={data.businessDate} /></p>
            {data.items.length === 0 ? <p className="empty">{t('roster.none')}</p> : (
              <DataTable caption={t('roster.title')} rows={data.items} rowKey={(collector) => collector.agentId} columns={[
                { key: 'name', header: t('roster.name'), cell: (collector) => `${collector.displayName}${collector.active ? '' : ` (${t('roster.inactive')})`}` },
                { key: 'languages', header: t('strategies.languages'), cell: (collector) => collector.languages.map((language) => t(`common:languages.${language}`, { defaultValue: language })).join(', ') },
                { key: 'jurisdictions', header: t('strategies.jurisdictions'), cell: (collector) => collector.jurisdictions.join(', ') },
                { key: 'region', header: t('roster.region'), cell: (collector) => collector.region ?? t('roster.desk') },
                { key: 'load', header: t('roster.load'), numeric: true, cell: (collector) => `${collector.openCases.toLocaleString(i18n.language)} / ${collector.capacity.toLocaleString(i18n.language)}` },
                { key: 'certification', header: t('roster.certificationHeader'), cell: (collector) => <span className={`badge status-${collector.certification.status}`}>{t(`roster.certification.${collector.certification.status}`)}</span> },
                { key: 'scope', header: t('roster.scope'), cell: (collector) => (collector.certification.jurisdictions.length > 0 ? `${collector.certification.jurisdictions.join(', ')} · ${collector.certification.channels.join(', ')}` : '—') },
                { key: 'until', header: t('roster.until'), cell: (collector) => (collector.certification.status === 'certified' || collector.certification.status === 'expiring' ? (collector.certification.certifiedUntil ? <BusinessDateText date={collector.certification.certifiedUntil} /> : t('roster.noEnd')) : '—') },
              ]} />
            )}
          </>
        )}
      </Loaded>
    </Page>
  );
}

export const screens: Screen[] = [
  { path: '/supervisor/assignment', area: 'supervisor', permission: 'collections:supervise', titleKey: 'supervisor:assignment.title', navigation: true, component: AssignmentScreen },
];

export const rosterScreens: Screen[] = [
  { path: '/supervisor/roster', area: 'supervisor', permission: 'collections:supervise', titleKey: 'supervisor:roster.title', navigation: true, component: RosterScreen },
];
