import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { api, ApiError, newIdempotencyKey } from '../shell/api.ts';
import type { Screen } from '../shell/areas.ts';
import { DataTable, Empty, ErrorMessage, Field, Loaded, Page, useLoad } from '../shell/components.tsx';
import { formatInstant } from '../shell/format.ts';
import './supervisor.css';

interface VersionSummary { version: number; name: string; status: string; createdBy: string; createdAt: string; definition?: Definition }
interface StrategySummary { id: string; jurisdiction: string; name: string; latestVersion: number; activeVersion: number | null; versions: VersionSummary[] }

interface Rung { id?: unknown; when?: { dpd?: unknown; event?: unknown; waitDays?: unknown; days?: unknown }; action?: unknown; template?: unknown; repeat?: { times?: unknown; everyDays?: unknown } | null; minimumDpd?: unknown }
interface Segment { name?: unknown; dpd?: { min?: unknown; max?: unknown } | null; jurisdictions?: unknown; languages?: unknown; products?: unknown; ladder?: unknown }
interface Arm { name?: unknown; percent?: unknown; ladders?: Record<string, unknown> }
interface Definition { id?: unknown; jurisdiction?: unknown; segments?: Segment[]; ladders?: Record<string, { rungs?: Rung[] }>; arms?: Arm[] }
interface ValidationProblem { field: string; detail: string }

const text = (value: unknown) => (value === undefined || value === null ? '—' : Array.isArray(value) ? value.join(', ') : typeof value === 'object' ? JSON.stringify(value) : String(value));

/** Where a problem's field points in the preview: a rung, a segment, the arms, or the strategy as a whole. */
function placeOf(field: string): { kind: 'rung'; ladder: string; index: number } | { kind: 'segment'; index: number } | { kind: 'arms' } | { kind: 'strategy' } {
  const path = field.replace(/^definition\.?/, '');
  const rung = /^ladders\.([^.]+)\.rungs\.(\d+)/.exec(path);
  if (rung) return { kind: 'rung', ladder: rung[1]!, index: Number(rung[2]) };
  const segment = /^segments\.(\d+)/.exec(path);
  if (segment) return { kind: 'segment', index: Number(segment[1]) };
  if (path.startsWith('arms')) return { kind: 'arms' };
  return { kind: 'strategy' };
}

function ProblemText({ problem }: { problem: ValidationProblem }) {
  const { t } = useTranslation('supervisor');
  // The server's detail usually starts with the field; it is said once, in the reader's language.
  const detail = problem.detail.startsWith(`${problem.field}: `) ? problem.detail.slice(problem.field.length + 2) : problem.detail;
  return <p className="field-error" role="alert">{t('strategies.problemAt', { field: problem.field })} {detail}</p>;
}

/**
 * A strategy definition as people read it: segments (which cases), each ladder's rungs (when,
 * action, template, repeat, wait) and the champion/challenger arms; a validation problem is shown
 * at the row of the field it names.
 */
export function StrategyPreview({ definition, problems = [] }: { definition: Definition; problems?: ValidationProblem[] }) {
  const { t } = useTranslation('supervisor');
  const placed = problems.map((problem) => ({ problem, place: placeOf(problem.field) }));
  const whenText = (when: Rung['when']) => {
    if (!when) return '—';
    if (when.dpd !== undefined) return t('strategies.whenDpd', { dpd: text(when.dpd) });
    return t('strategies.whenEvent', { event: text(when.event) });
  };
  const waitText = (when: Rung['when']) => (when?.waitDays !== undefined ? t('strategies.days', { count: Number(when.waitDays) }) : when?.days !== undefined ? t('strategies.withoutContact', { count: Number(when.days) }) : '—');
  const repeatText = (repeat: Rung['repeat']) => (repeat ? t('strategies.repeat', { times: text(repeat.times), every: text(repeat.everyDays) }) : '—');
  const general = placed.filter((entry) => entry.place.kind === 'strategy');
  return (
    <div className="strategy-preview">
      {general.map((entry) => <ProblemText key={entry.problem.field} problem={entry.problem} />)}
      <section className="card">
        <h2>{t('strategies.segments')}</h2>
        <div className="table-scroll">
          <table className="data-table">
            <caption className="visually-hidden">{t('strategies.segments')}</caption>
            <thead><tr><th scope="col">{t('strategies.segment')}</th><th scope="col">{t('strategies.dpdRange')}</th><th scope="col">{t('strategies.jurisdictions')}</th><th scope="col">{t('strategies.languages')}</th><th scope="col">{t('strategies.ladder')}</th></tr></thead>
            <tbody>
              {(Array.isArray(definition.segments) ? definition.segments : []).map((segment, index) => {
                const errors = placed.filter((entry) => entry.place.kind === 'segment' && entry.place.index === index);
                return [
                  <tr key={`segment-${index}`} className={errors.length > 0 ? 'rung-error' : undefined}>
                    <td>{text(segment.name)}</td><td>{segment.dpd ? `${text(segment.dpd.min)} – ${text(segment.dpd.max)}` : t('strategies.any')}</td>
                    <td>{segment.jurisdictions ? text(segment.jurisdictions) : t('strategies.any')}</td><td>{segment.languages ? text(segment.languages) : t('strategies.any')}</td><td>{text(segment.ladder)}</td>
                  </tr>,
                  ...errors.map((entry) => <tr key={`segment-${index}-${entry.problem.field}`}><td colSpan={5}><ProblemText problem={entry.problem} /></td></tr>),
                ];
              })}
            </tbody>
          </table>
        </div>
      </section>
      {Object.entries(definition.ladders && typeof definition.ladders === 'object' ? definition.ladders : {}).map(([ladder, body]) => (
        <section className="card" key={ladder}>
          <h2>{t('strategies.ladderTitle', { name: ladder })}</h2>
          <div className="table-scroll">
            <table className="data-table">
              <caption className="visually-hidden">{t('strategies.ladderTitle', { name: ladder })}</caption>
              <thead><tr><th scope="col">#</th><th scope="col">{t('strategies.rung')}</th><th scope="col">{t('strategies.when')}</th><th scope="col">{t('strategies.action')}</th><th scope="col">{t('strategies.template')}</th><th scope="col">{t('strategies.repeatHeader')}</th><th scope="col">{t('strategies.wait')}</th></tr></thead>
              <tbody>
                {(Array.isArray(body?.rungs) ? body.rungs : []).map((rung, index) => {
                  const errors = placed.filter((entry) => entry.place.kind === 'rung' && entry.place.ladder === ladder && entry.place.index === index);
                  return [
                    <tr key={`rung-${index}`} className={errors.length > 0 ? 'rung-error' : undefined}>
                      <td>{index}</td><td>{text(rung.id)}</td><td>{whenText(rung.when)}</td><td>{text(rung.action)}</td><td>{text(rung.template)}</td>
                      <td>{repeatText(rung.repeat)}</td><td>{waitText(rung.when)}{rung.minimumDpd !== undefined ? ` · ${t('strategies.minimumDpd', { dpd: text(rung.minimumDpd) })}` : ''}</td>
                    </tr>,
                    ...errors.map((entry) => <tr key={`rung-${index}-${entry.problem.field}`}><td colSpan={7}><ProblemText problem={entry.problem} /></td></tr>),
                  ];
                })}
              </tbody>
            </table>
          </div>
        </section>
      ))}
      <section className="card">
        <h2>{t('strategies.arms')}</h2>
        {placed.filter((entry) => entry.place.kind === 'arms').map((entry) => <ProblemText key={entry.problem.field} problem={entry.problem} />)}
        {Array.isArray(definition.arms) && definition.arms.length > 0 ? (
          <DataTable caption={t('strategies.arms')} rows={definition.arms} rowKey={(arm) => text(arm.name)} columns={[
            { key: 'name', header: t('strategies.arm'), cell: (arm) => text(arm.name) },
            { key: 'percent', header: t('strategies.percent'), numeric: true, cell: (arm) => `${text(arm.percent)}%` },
            { key: 'ladders', header: t('strategies.armLadders'), cell: (arm) => Object.entries(arm.ladders ?? {}).map(([from, to]) => `${from} → ${text(to)}`).join(', ') || t('strategies.champion') },
          ]} />
        ) : <Empty>{t('strategies.noArms')}</Empty>}
      </section>
    </div>
  );
}

function StrategiesScreen() {
  const { t } = useTranslation('supervisor');
  const state = useLoad(() => api.get<{ items: StrategySummary[] }>('/v1/collections/strategies'), []);
  return (
    <Page title={t('strategies.title')}>
      <Loaded state={state}>
        {(data) => (
          <DataTable caption={t('strategies.title')} rows={[...data.items].sort((a, b) => a.jurisdiction.localeCompare(b.jurisdiction))} rowKey={(item) => item.id} columns={[
            { key: 'jurisdiction', header: t('strategies.jurisdiction'), cell: (item) => item.jurisdiction },
            { key: 'name', header: t('strategies.name'), cell: (item) => <Link to={`/supervisor/strategies/${item.id}`}>{item.name}</Link> },
            { key: 'versions', header: t('strategies.versions'), numeric: true, cell: (item) => item.versions.length },
            { key: 'active', header: t('strategies.activeVersion'), numeric: true, cell: (item) => (item.activeVersion === null ? t('strategies.noneActive') : `v${item.activeVersion}`) },
            { key: 'statuses', header: t('strategies.statuses'), cell: (item) => item.versions.map((version) => `v${version.version} ${t(`strategies.status.${version.status}`)}`).join(' · ') },
          ]} />
        )}
      </Loaded>
    </Page>
  );
}

function StrategyScreen() {
  const { t, i18n } = useTranslation('supervisor');
  const { strategyId = '' } = useParams();
  const [search] = useSearchParams();
  const state = useLoad(() => api.get<StrategySummary>(`/v1/collections/strategies/${encodeURIComponent(strategyId)}`), [strategyId]);
  const [shown, setShown] = useState<number | null>(null);
  const [activating, setActivating] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(search.get('saved') ? t('strategies.savedVersion', { version: search.get('saved') }) : null);
  const keys = useRef(new Map<number, string>());
  async function activate(version: number) {
    if (!keys.current.has(version)) keys.current.set(version, newIdempotencyKey());
    setActivating(version);
    setError(null);
    try {
      await api.post(`/v1/collections/strategies/${encodeURIComponent(strategyId)}/versions/${version}/activate`, {}, { idempotencyKey: keys.current.get(version)! });
      setMessage(t('strategies.activated', { version }));
      state.reload();
    } catch (caught) {
      setError(caught);
    } finally {
      setActivating(null);
    }
  }
  return (
    <Page title={state.data ? t('strategies.strategyTitle', { name: state.data.name }) : t('strategies.title')} actions={<>
      <Link to="/supervisor/strategies">{t('strategies.back')}</Link>
      <Link className="button primary" to={`/supervisor/strategies/${strategyId}/edit`}>{t('strategies.edit')}</Link>
    </>}>
      {message ? <p className="success" role="status">{message}</p> : null}
      {error ? <ErrorMessage error={error} /> : null}
      <Loaded state={state}>
        {(data) => {
          const current = data.versions.find((version) => version.version === (shown ?? data.activeVersion ?? data.latestVersion)) ?? data.versions.at(-1)!;
          return (
            <>
              <section className="card">
                <h2>{t('strategies.versions')}</h2>
                <DataTable caption={t('strategies.versions')} rows={[...data.versions].reverse()} rowKey={(version) => String(version.version)} columns={[
                  { key: 'version', header: t('strategies.version'), cell: (version) => <button type="button" className="link" aria-pressed={version.version === current.version} onClick={() => setShown(version.version)}>v{version.version}</button> },
                  { key: 'name', header: t('strategies.name'), cell: (version) => version.name },
                  { key: 'status', header: t('strategies.statusHeader'), cell: (version) => <span className="badge">{t(`strategies.status.${version.status}`)}</span> },
                  { key: 'by', header: t('strategies.createdBy'), cell: (version) => `${version.createdBy} · ${formatInstant(version.createdAt, i18n.language)}` },
                  {
                    key: 'activate', header: t('strategies.actions'), cell: (version) => (version.status === 'active' ? t('strategies.inUse') : (
                      <button type="button" disabled={activating !== null} onClick={() => void activate(version.version)}>{activating === version.version ? t('strategies.activating') : t('strategies.activate', { version: version.version })}</button>
                    )),
                  },
                ]} />
              </section>
              <h2>{t('strategies.showing', { version: current.version })}</h2>
              {current.definition ? <StrategyPreview definition={current.definition} /> : <Empty />}
            </>
          );
        }}
      </Loaded>
    </Page>
  );
}

function StrategyEditor({ strategy }: { strategy: StrategySummary }) {
  const { t } = useTranslation('supervisor');
  const navigate = useNavigate();
  const latest = strategy.versions.at(-1)!;
  const [source, setSource] = useState(() => {
    const { version: _version, ...definition } = (latest.definition ?? {}) as Definition & { version?: unknown };
    return JSON.stringify(definition, null, 2);
  });
  const [name, setName] = useState(latest.name);
  const [parseError, setParseError] = useState<string | null>(null);
  const [problems, setProblems] = useState<ValidationProblem[] | null>(null);
  const [busy, setBusy] = useState<'check' | 'save' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const attempt = useRef<{ body: string; key: string } | null>(null);
  let parsed: Definition | null = null;
  try {
    parsed = JSON.parse(source) as Definition;
  } catch {
    parsed = null;
  }

  async function check(): Promise<Definition | null> {
    setError(null);
    let definition: Definition;
    try {
      definition = JSON.parse(source) as Definition;
    } catch (caught) {
      setParseError(t('editor.notJson', { detail: (caught as Error).message }));
      setProblems(null);
      return null;
    }
    setParseError(null);
    const result = await api.post<{ valid: boolean; problems: ValidationProblem[] }>('/v1/collections/strategies/validate', { definition });
    setProblems(result.problems);
    return result.valid ? definition : null;
  }

  async function run(action: 'check' | 'save') {
    setBusy(action);
    try {
      const definition = await check();
      if (action === 'check' || definition === null) return;
      const body = JSON.stringify({ name, definition });
      if (attempt.current?.body !== body) attempt.current = { body, key: newIdempotencyKey() };
      const saved = await api.post<StrategySummary>(`/v1/collections/strategies/${encodeURIComponent(strategy.id)}/versions`, { name, definition }, { idempotencyKey: attempt.current.key });
      navigate(`/supervisor/strategies/${strategy.id}?saved=${saved.latestVersion}`);
    } catch (caught) {
      // A refusal that names a field is shown at that field, like the check's problems.
      if (caught instanceof ApiError && caught.problem.field) setProblems([{ field: caught.problem.field, detail: caught.problem.detail ?? caught.code }]);
      else setError(caught);
    } finally {
      setBusy(null);
    }
  }

  return (
    <>
      {error ? <ErrorMessage error={error} /> : null}
      {problems && problems.length === 0 ? <p className="success" role="status">{t('editor.valid')}</p> : null}
      {problems && problems.length > 0 ? <div className="error" role="alert"><strong>{t('editor.invalid', { count: problems.length })}</strong></div> : null}
      <div className="editor-layout">
        <form onSubmit={(event) => { event.preventDefault(); void run('save'); }} noValidate>
          <Field label={t('editor.name')}>{(props) => <input {...props} value={name} maxLength={200} onChange={(event) => setName(event.target.value)} />}</Field>
          <Field label={t('editor.definition')} hint={t('editor.definitionHint')} error={parseError}>
            {(props) => <textarea {...props} className="definition-editor" spellCheck={false} value={source} onChange={(event) => { setSource(event.target.value); setProblems(null); }} />}
          </Field>
          <div className="page-actions">
            <button type="button" disabled={busy !== null} onClick={() => void run('check')}>{busy === 'check' ? t('editor.checking') : t('editor.check')}</button>
            <button type="submit" className="primary" disabled={busy !== null}>{busy === 'save' ? t('editor.saving') : t('editor.save')}</button>
          </div>
        </form>
        <div>
          <h2>{t('editor.preview')}</h2>
          {parsed && typeof parsed === 'object' ? <StrategyPreview definition={parsed} problems={problems ?? []} /> : <Empty>{t('editor.noPreview')}</Empty>}
        </div>
      </div>
    </>
  );
}

function StrategyEditScreen() {
  const { t } = useTranslation('supervisor');
  const { strategyId = '' } = useParams();
  const state = useLoad(() => api.get<StrategySummary>(`/v1/collections/strategies/${encodeURIComponent(strategyId)}`), [strategyId]);
  return (
    <Page title={t('editor.title', { name: state.data?.name ?? strategyId })} actions={<Link to={`/supervisor/strategies/${strategyId}`}>{t('editor.cancel')}</Link>}>
      <p className="hint">{t('editor.intro')}</p>
      <Loaded state={state}>{(data) => <StrategyEditor strategy={data} />}</Loaded>
    </Page>
  );
}

export const screens: Screen[] = [
  { path: '/supervisor/strategies', area: 'supervisor', permission: 'collections:supervise', titleKey: 'supervisor:strategies.title', navigation: true, component: StrategiesScreen },
  { path: '/supervisor/strategies/:strategyId', area: 'supervisor', permission: 'collections:supervise', titleKey: 'supervisor:strategies.title', component: StrategyScreen },
  { path: '/supervisor/strategies/:strategyId/edit', area: 'supervisor', permission: 'collections:supervise', titleKey: 'supervisor:editor.titleShort', component: StrategyEditScreen },
];
