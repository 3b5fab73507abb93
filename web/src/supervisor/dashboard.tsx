import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../shell/api.ts';
import type { Screen } from '../shell/areas.ts';
import { BusinessDateText, DataTable, Empty, Field, Loaded, Money, Page, useLoad } from '../shell/components.tsx';
import { Chart, type ChartOption, formatRate, percentOf } from './chart.tsx';
import { DateRangePicker, type DateRange, useDateRange } from './range.tsx';
import './supervisor.css';

interface Report<T> { from: string; to: string; items: T[] }
interface SnapshotItem { businessDate: string; jurisdiction: string; currency: string; bucket: string; loans: number; outstanding: string }
interface RollItem { month: string; from: string; to: string; loans: number; leftBucket: number; share: string | null }
interface CureItem { month: string; delinquent: number; cured: number; cureRate: string | null }
interface PromiseItem { month: string; made: number; kept: number; partlyKept: number; broken: number; pending: number; keptRate: string | null }
interface ActivityItem { agentId: string; agentName: string | null; date: string; attempts: number; rightPartyContacts: number; promises: number }
interface EffectivenessRow { dimension: string; value: string; attempts: number; deliveries: number; rightPartyContacts: number; promises: number; promisesKept: number; keptRate: string | null; casesTouched: number; cures: number; cureRate: string | null }

const query = (range: DateRange) => `from=${range.from}&to=${range.to}`;
const unique = <T,>(values: T[]) => [...new Set(values)];

/** Buckets in ladder order: current first, then by name (R1, R2… or 1-30, 31-60… sort as written). */
function bucketOrder(buckets: string[]): string[] {
  return unique(buckets).sort((a, b) => (a === 'current' ? -1 : b === 'current' ? 1 : a.localeCompare(b, undefined, { numeric: true })));
}

function DelinquencyCharts({ range }: { range: DateRange }) {
  const { t, i18n } = useTranslation('supervisor');
  const state = useLoad(() => api.get<Report<SnapshotItem>>(`/v1/collections/reports/delinquency?${query(range)}`), [range.from, range.to]);
  const [portfolio, setPortfolio] = useState<string | null>(null);
  return (
    <Loaded state={state}>
      {(data) => {
        // Money is never summed across currencies: each chart shows one jurisdiction in one currency.
        const portfolios = unique(data.items.map((item) => `${item.jurisdiction} · ${item.currency}`));
        if (portfolios.length === 0) return <section className="card"><h2>{t('dashboard.delinquency.title')}</h2><Empty>{t('dashboard.delinquency.empty')}</Empty></section>;
        const chosen = portfolio && portfolios.includes(portfolio) ? portfolio : portfolios[0]!;
        const rows = data.items.filter((item) => `${item.jurisdiction} · ${item.currency}` === chosen);
        const dates = unique(rows.map((row) => row.businessDate));
        const buckets = bucketOrder(rows.map((row) => row.bucket));
        const cell = (date: string, bucket: string) => rows.find((row) => row.businessDate === date && row.bucket === bucket);
        const bucketName = (bucket: string) => (bucket === 'current' ? t('dashboard.current') : bucket);
        const loansOption: ChartOption = {
          legend: { top: 0 }, xAxis: { type: 'category', data: dates }, yAxis: { type: 'value', name: t('dashboard.delinquency.loans') },
          series: buckets.map((bucket) => ({ type: 'bar', stack: 'loans', name: bucketName(bucket), data: dates.map((date) => cell(date, bucket)?.loans ?? 0) })),
        };
        // Plotting needs numbers: the decimal string becomes a screen position only; the table keeps the exact amounts.
        const outstandingOption: ChartOption = {
          legend: { top: 0 }, xAxis: { type: 'category', data: dates }, yAxis: { type: 'value', name: chosen.split(' · ')[1] },
          series: buckets.map((bucket) => ({ type: 'line', showSymbol: false, name: bucketName(bucket), data: dates.map((date) => Number(cell(date, bucket)?.outstanding ?? 0)) })),
        };
        const table = (
          <DataTable caption={t('dashboard.delinquency.title')} rows={rows} rowKey={(row) => `${row.businessDate}|${row.bucket}`} columns={[
            { key: 'date', header: t('dashboard.date'), cell: (row) => <BusinessDateText date={row.businessDate} /> },
            { key: 'bucket', header: t('dashboard.bucket'), cell: (row) => bucketName(row.bucket) },
            { key: 'loans', header: t('dashboard.delinquency.loans'), numeric: true, cell: (row) => row.loans.toLocaleString(i18n.language) },
            { key: 'outstanding', header: t('dashboard.delinquency.outstanding'), numeric: true, cell: (row) => <Money amount={row.outstanding} currency={row.currency} /> },
          ]} />
        );
        return (
          <>
            <Field label={t('dashboard.delinquency.portfolio')} hint={t('dashboard.delinquency.portfolioHint')}>
              {(props) => <select {...props} value={chosen} onChange={(event) => setPortfolio(event.target.value)}>{portfolios.map((name) => <option key={name} value={name}>{name}</option>)}</select>}
            </Field>
            <div className="chart-grid">
              <Chart title={t('dashboard.delinquency.loansTitle', { portfolio: chosen })} description={t('dashboard.delinquency.description')} option={loansOption} table={table} />
              <Chart title={t('dashboard.delinquency.outstandingTitle', { portfolio: chosen })} description={t('dashboard.delinquency.description')} option={outstandingOption} table={table} />
            </div>
          </>
        );
      }}
    </Loaded>
  );
}

function RollRateChart({ range }: { range: DateRange }) {
  const { t, i18n } = useTranslation('supervisor');
  const state = useLoad(() => api.get<Report<RollItem>>(`/v1/collections/reports/roll-rates?${query(range)}`), [range.from, range.to]);
  return (
    <Loaded state={state}>
      {(data) => {
        const name = (bucket: string) => (bucket === 'current' ? t('dashboard.current') : bucket);
        const moves = unique(data.items.map((item) => `${name(item.from)} → ${name(item.to)}`));
        const months = unique(data.items.map((item) => item.month));
        const option: ChartOption = {
          legend: { top: 0 }, xAxis: { type: 'category', data: moves }, yAxis: { type: 'value', name: '%', max: 100 },
          series: months.map((month) => ({ type: 'bar', name: month, data: moves.map((move) => percentOf(data.items.find((item) => item.month === month && `${name(item.from)} → ${name(item.to)}` === move)?.share ?? null)) })),
        };
        return (
          <Chart title={t('dashboard.roll.title')} description={t('dashboard.roll.description')} option={option} table={
            <DataTable caption={t('dashboard.roll.title')} rows={data.items} rowKey={(item) => `${item.month}|${item.from}|${item.to}`} columns={[
              { key: 'month', header: t('dashboard.month'), cell: (item) => item.month },
              { key: 'from', header: t('dashboard.roll.from'), cell: (item) => name(item.from) },
              { key: 'to', header: t('dashboard.roll.to'), cell: (item) => name(item.to) },
              { key: 'loans', header: t('dashboard.roll.loans'), numeric: true, cell: (item) => `${item.loans} / ${item.leftBucket}` },
              { key: 'share', header: t('dashboard.roll.share'), numeric: true, cell: (item) => formatRate(item.share, i18n.language) },
            ]} />
          } />
        );
      }}
    </Loaded>
  );
}

function CureAndPromiseCharts({ range }: { range: DateRange }) {
  const { t, i18n } = useTranslation('supervisor');
  const cures = useLoad(() => api.get<Report<CureItem>>(`/v1/collections/reports/cure-rates?${query(range)}`), [range.from, range.to]);
  const promises = useLoad(() => api.get<Report<PromiseItem>>(`/v1/collections/reports/promises?${query(range)}`), [range.from, range.to]);
  return (
    <div className="chart-grid">
      <Loaded state={cures}>
        {(data) => (
          <Chart title={t('dashboard.cure.title')} description={t('dashboard.cure.description')} option={{
            xAxis: { type: 'category', data: data.items.map((item) => item.month) }, yAxis: { type: 'value', name: '%', max: 100 },
            series: [{ type: 'bar', name: t('dashboard.cure.rate'), data: data.items.map((item) => percentOf(item.cureRate)) }],
          }} table={
            <DataTable caption={t('dashboard.cure.title')} rows={data.items} rowKey={(item) => item.month} columns={[
              { key: 'month', header: t('dashboard.month'), cell: (item) => item.month },
              { key: 'delinquent', header: t('dashboard.cure.delinquent'), numeric: true, cell: (item) => item.delinquent },
              { key: 'cured', header: t('dashboard.cure.cured'), numeric: true, cell: (item) => item.cured },
              { key: 'rate', header: t('dashboard.cure.rate'), numeric: true, cell: (item) => formatRate(item.cureRate, i18n.language) },
            ]} />
          } />
        )}
      </Loaded>
      <Loaded state={promises}>
        {(data) => (
          <Chart title={t('dashboard.promises.title')} description={t('dashboard.promises.description')} option={{
            legend: { top: 0 }, xAxis: { type: 'category', data: data.items.map((item) => item.month) }, yAxis: { type: 'value', name: t('dashboard.promises.count') },
            series: (['kept', 'partlyKept', 'broken', 'pending'] as const).map((outcome) => ({ type: 'bar', stack: 'promises', name: t(`dashboard.promises.${outcome}`), data: data.items.map((item) => item[outcome]) })),
          }} table={
            <DataTable caption={t('dashboard.promises.title')} rows={data.items} rowKey={(item) => item.month} columns={[
              { key: 'month', header: t('dashboard.month'), cell: (item) => item.month },
              { key: 'made', header: t('dashboard.promises.made'), numeric: true, cell: (item) => item.made },
              { key: 'kept', header: t('dashboard.promises.kept'), numeric: true, cell: (item) => item.kept },
              { key: 'partlyKept', header: t('dashboard.promises.partlyKept'), numeric: true, cell: (item) => item.partlyKept },
              { key: 'broken', header: t('dashboard.promises.broken'), numeric: true, cell: (item) => item.broken },
              { key: 'pending', header: t('dashboard.promises.pending'), numeric: true, cell: (item) => item.pending },
              { key: 'rate', header: t('dashboard.promises.keptRate'), numeric: true, cell: (item) => formatRate(item.keptRate, i18n.language) },
            ]} />
          } />
        )}
      </Loaded>
    </div>
  );
}

function EffectivenessChart({ range }: { range: DateRange }) {
  const { t, i18n } = useTranslation('supervisor');
  const state = useLoad(() => api.get<{ rows: EffectivenessRow[] }>(`/v1/collections/effectiveness?${query(range)}`), [range.from, range.to]);
  const [dimension, setDimension] = useState<'channel' | 'rung'>('channel');
  return (
    <Loaded state={state}>
      {(data) => {
        const rows = data.rows.filter((row) => row.dimension === dimension);
        const option: ChartOption = {
          legend: { top: 0 }, xAxis: { type: 'category', data: rows.map((row) => row.value), axisLabel: { interval: 0, rotate: rows.length > 6 ? 30 : 0 } }, yAxis: { type: 'value', name: '%', max: 100 },
          series: [
            { type: 'bar', name: t('dashboard.effectiveness.cureRate'), data: rows.map((row) => percentOf(row.cureRate)) },
            { type: 'bar', name: t('dashboard.effectiveness.keptRate'), data: rows.map((row) => percentOf(row.keptRate)) },
          ],
        };
        return (
          <>
            <Field label={t('dashboard.effectiveness.by')}>
              {(props) => (
                <select {...props} value={dimension} onChange={(event) => setDimension(event.target.value as 'channel' | 'rung')}>
                  <option value="channel">{t('dashboard.effectiveness.channel')}</option>
                  <option value="rung">{t('dashboard.effectiveness.rung')}</option>
                </select>
              )}
            </Field>
            <Chart title={t(`dashboard.effectiveness.title.${dimension}`)} description={t('dashboard.effectiveness.description')} option={option} table={
              <DataTable caption={t(`dashboard.effectiveness.title.${dimension}`)} rows={rows} rowKey={(row) => row.value} columns={[
                { key: 'value', header: t(`dashboard.effectiveness.${dimension}`), cell: (row) => row.value },
                { key: 'attempts', header: t('dashboard.effectiveness.attempts'), numeric: true, cell: (row) => row.attempts },
                { key: 'deliveries', header: t('dashboard.effectiveness.deliveries'), numeric: true, cell: (row) => row.deliveries },
                { key: 'rpc', header: t('dashboard.activity.rightPartyContacts'), numeric: true, cell: (row) => row.rightPartyContacts },
                { key: 'promises', header: t('dashboard.activity.promises'), numeric: true, cell: (row) => row.promises },
                { key: 'kept', header: t('dashboard.effectiveness.keptRate'), numeric: true, cell: (row) => formatRate(row.keptRate, i18n.language) },
                { key: 'cures', header: t('dashboard.effectiveness.cures'), numeric: true, cell: (row) => row.cures },
                { key: 'cureRate', header: t('dashboard.effectiveness.cureRate'), numeric: true, cell: (row) => formatRate(row.cureRate, i18n.language) },
              ]} />
            } />
          </>
        );
      }}
    </Loaded>
  );
}

function AgentActivityChart({ range }: { range: DateRange }) {
  const { t } = useTranslation('supervisor');
  const state = useLoad(() => api.get<Report<ActivityItem>>(`/v1/collections/reports/agent-activity?${query(range)}`), [range.from, range.to]);
  return (
    <Loaded state={state}>
      {(data) => {
        const agents = unique(data.items.map((item) => item.agentId));
        const label = (agentId: string) => data.items.find((item) => item.agentId === agentId)?.agentName ?? agentId;
        const total = (agentId: string, key: 'attempts' | 'rightPartyContacts' | 'promises') => data.items.filter((item) => item.agentId === agentId).reduce((sum, item) => sum + item[key], 0);
        const option: ChartOption = {
          legend: { top: 0 }, xAxis: { type: 'category', data: agents.map(label) }, yAxis: { type: 'value' },
          series: (['attempts', 'rightPartyContacts', 'promises'] as const).map((key) => ({ type: 'bar', name: t(`dashboard.activity.${key}`), data: agents.map((agent) => total(agent, key)) })),
        };
        return (
          <Chart title={t('dashboard.activity.title')} description={t('dashboard.activity.description')} option={option} table={
            <DataTable caption={t('dashboard.activity.title')} rows={data.items} rowKey={(item) => `${item.agentId}|${item.date}`} columns={[
              { key: 'agent', header: t('dashboard.activity.agent'), cell: (item) => item.agentName ?? item.agentId },
              { key: 'date', header: t('dashboard.date'), cell: (item) => <BusinessDateText date={item.date} /> },
              { key: 'attempts', header: t('dashboard.activity.attempts'), numeric: true, cell: (item) => item.attempts },
              { key: 'rpc', header: t('dashboard.activity.rightPartyContacts'), numeric: true, cell: (item) => item.rightPartyContacts },
              { key: 'promises', header: t('dashboard.activity.promises'), numeric: true, cell: (item) => item.promises },
            ]} />
          } />
        );
      }}
    </Loaded>
  );
}

function DashboardScreen() {
  const { t } = useTranslation('supervisor');
  const [range, setRange] = useDateRange();
  const key = useMemo(() => `${range.from}|${range.to}`, [range]);
  return (
    <Page title={t('dashboard.title')}>
      <DateRangePicker range={range} onChange={setRange} />
      <div key={key} className="dashboard">
        <DelinquencyCharts range={range} />
        <RollRateChart range={range} />
        <CureAndPromiseCharts range={range} />
        <EffectivenessChart range={range} />
        <AgentActivityChart range={range} />
      </div>
    </Page>
  );
}

export const screens: Screen[] = [
  { path: '/supervisor/dashboard', area: 'supervisor', permission: 'collections:supervise', titleKey: 'supervisor:dashboard.title', navigation: true, component: DashboardScreen },
];
