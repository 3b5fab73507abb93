import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { api, ApiError } from '../shell/api.ts';
import type { Screen } from '../shell/areas.ts';
import { DataTable, Empty, ErrorMessage, Field, Loaded, Page, useLoad } from '../shell/components.tsx';
import { formatInstant } from '../shell/format.ts';

/**
 * Running the installation: loan products, the business calendar and the lender's policy overlays.
 * Every rule is the server's: the screens send what was typed and show the field or rule it names.
 */

const GRID_FORM_STYLE = { maxWidth: 'none', display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(13rem, 1fr))', gap: '0 1rem', alignItems: 'start' } as const;
const CHECKBOX_STYLE = { width: 'auto', minHeight: 0, marginRight: '0.35rem' } as const;
const JSON_STYLE = { overflowX: 'auto', background: '#f4f6f8', padding: '0.75rem', borderRadius: '6px', fontSize: '0.85rem' } as const;

/** The problem's field, when the server named one, so the error shows beside that input. */
function fieldErrorOf(error: unknown): { field: string | null; message: string } | null {
  if (!(error instanceof ApiError)) return null;
  return { field: typeof error.problem.field === 'string' ? error.problem.field : null, message: error.problem.detail ?? error.message };
}

interface Product {
  id: string;
  name: string;
  active: boolean;
  terms: { currency: string; annualRate: string; numberOfRepayments: number; repaymentEvery: number; repaymentUnit: string; roundingMode: string };
  principalRange: { min: string; max: string };
  repaymentsRange: { min: number; max: number };
  originationFee: { percent?: string; amount?: string } | null;
  rateCap: string | null;
  chargeOffDays: number;
}

const EMPTY_PRODUCT = { name: '', currency: 'CNY', annualRate: '', numberOfRepayments: '12', principalMin: '', principalMax: '', repaymentsMin: '6', repaymentsMax: '24', feePercent: '', rateCap: '24' };

function ProductsScreen() {
  const { t } = useTranslation(['admin', 'common']);
  const products = useLoad(() => api.get<{ items: Product[] }>('/v1/products'), []);
  const [draft, setDraft] = useState(EMPTY_PRODUCT);
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState<Product | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setCreated(null);
    const body = {
      name: draft.name.trim(),
      terms: { currency: draft.currency.trim().toUpperCase(), annualRate: draft.annualRate.trim(), numberOfRepayments: Number(draft.numberOfRepayments) },
      principalRange: { min: draft.principalMin.trim(), max: draft.principalMax.trim() },
      repaymentsRange: { min: Number(draft.repaymentsMin), max: Number(draft.repaymentsMax) },
      ...(draft.feePercent.trim() ? { originationFee: { percent: draft.feePercent.trim() } } : {}),
      ...(draft.rateCap.trim() ? { rateCap: draft.rateCap.trim() } : {}),
    };
    try {
      const product = await api.post<Product>('/v1/products', body);
      setCreated(product);
      setDraft(EMPTY_PRODUCT);
      products.reload();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  const problem = fieldErrorOf(error);
  const errorFor = (...fields: string[]) => (problem?.field && fields.some((field) => problem.field === field || problem.field!.startsWith(`${field}.`)) ? problem.message : null);
  const input = (name: keyof typeof EMPTY_PRODUCT, fields: string[], label: string, hint?: string, type = 'text') => (
    <Field label={label} hint={hint} error={errorFor(...fields)}>
      {(props) => <input {...props} type={type} inputMode={type === 'text' ? undefined : 'decimal'} value={draft[name]} onChange={(event) => setDraft({ ...draft, [name]: event.target.value })} />}
    </Field>
  );
  return (
    <Page title={t('products.title')}>
      <Loaded state={products}>
        {(data) => data.items.length === 0 ? <Empty>{t('products.none')}</Empty> : (
          <DataTable
            caption={t('products.caption')}
            rows={data.items}
            rowKey={(product) => product.id}
            columns={[
              { key: 'name', header: t('products.name'), cell: (product) => <Link to={`/admin/products/${product.id}`}>{product.name}</Link> },
              { key: 'currency', header: t('products.currency'), cell: (product) => product.terms.currency },
              { key: 'rate', header: t('products.annualRate'), numeric: true, cell: (product) => `${product.terms.annualRate}%` },
              { key: 'principal', header: t('products.principalRange'), numeric: true, cell: (product) => `${product.principalRange.min} – ${product.principalRange.max}` },
              { key: 'repayments', header: t('products.repaymentsRange'), numeric: true, cell: (product) => `${product.repaymentsRange.min} – ${product.repaymentsRange.max}` },
              { key: 'status', header: t('products.status'), cell: (product) => (product.active ? t('products.active') : t('products.inactive')) },
            ]}
          />
        )}
      </Loaded>
      <section className="card" style={{ marginTop: '1rem' }} aria-labelledby="new-product">
        <h2 id="new-product">{t('products.create')}</h2>
        <p className="hint">{t('products.createHint')}</p>
        <form style={GRID_FORM_STYLE} onSubmit={submit} noValidate>
          {input('name', ['name'], t('products.name'))}
          {input('currency', ['terms.currency', 'currency'], t('products.currency'), t('products.currencyHint'))}
          {input('annualRate', ['terms.annualRate', 'terms'], t('products.annualRate'), t('products.annualRateHint'), 'decimal')}
          {input('numberOfRepayments', ['terms.numberOfRepayments'], t('products.numberOfRepayments'), undefined, 'number')}
          {input('principalMin', ['principalRange.min', 'principalRange'], t('products.principalMin'), undefined, 'decimal')}
          {input('principalMax', ['principalRange.max'], t('products.principalMax'), undefined, 'decimal')}
          {input('repaymentsMin', ['repaymentsRange.min', 'repaymentsRange'], t('products.repaymentsMin'), undefined, 'number')}
          {input('repaymentsMax', ['repaymentsRange.max'], t('products.repaymentsMax'), undefined, 'number')}
          {input('feePercent', ['originationFee', 'originationFee.percent'], t('products.feePercent'), t('products.optional'), 'decimal')}
          {input('rateCap', ['rateCap'], t('products.rateCap'), t('products.rateCapHint'), 'decimal')}
          <div className="field" style={{ gridColumn: '1 / -1' }}>
            <button type="submit" className="primary" disabled={busy}>{t('products.submit')}</button>
          </div>
        </form>
        {error && problem?.field ? <p className="error" role="alert">{t('products.fixField')}</p> : null}
        {error && !problem?.field ? <ErrorMessage error={error} /> : null}
        {created ? <p className="success" role="status">{t('products.created', { name: created.name, id: created.id })}</p> : null}
      </section>
    </Page>
  );
}

function ProductScreen() {
  const { t } = useTranslation(['admin', 'common']);
  const { id = '' } = useParams();
  const product = useLoad(() => api.get<Product & Record<string, unknown>>(`/v1/products/${encodeURIComponent(id)}`), [id]);
  return (
    <Page title={t('products.one')} actions={<Link to="/admin/products">{t('products.back')}</Link>}>
      <Loaded state={product}>
        {(data) => (
          <section className="card" aria-labelledby="product-name">
            <h2 id="product-name">{data.name}</h2>
            <dl className="summary">
              <div><dt>{t('products.currency')}</dt><dd>{data.terms.currency}</dd></div>
              <div><dt>{t('products.annualRate')}</dt><dd>{data.terms.annualRate}%</dd></div>
              <div><dt>{t('products.rateCap')}</dt><dd>{data.rateCap ? `${data.rateCap}%` : '—'}</dd></div>
              <div><dt>{t('products.principalRange')}</dt><dd>{data.principalRange.min} – {data.principalRange.max}</dd></div>
              <div><dt>{t('products.repaymentsRange')}</dt><dd>{data.repaymentsRange.min} – {data.repaymentsRange.max}</dd></div>
              <div><dt>{t('products.chargeOffDays')}</dt><dd>{data.chargeOffDays}</dd></div>
            </dl>
            <h3>{t('products.definition')}</h3>
            <pre style={JSON_STYLE} tabIndex={0}>{JSON.stringify(data, null, 2)}</pre>
          </section>
        )}
      </Loaded>
    </Page>
  );
}

interface Calendar {
  timeZone: string;
  weekendDays: string[];
  rule: string;
  holidays: Array<{ date: string; name: string }>;
}

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const RULES = ['next', 'previous', 'unchanged'] as const;

function CalendarScreen() {
  const { t } = useTranslation(['admin', 'common']);
  const calendar = useLoad(() => api.get<Calendar>('/v1/calendar'), []);
  return (
    <Page title={t('calendar.title')}>
      <p>{t('calendar.intro')}</p>
      <Loaded state={calendar}>
        {(data) => <CalendarForms calendar={data} onSaved={calendar.reload} />}
      </Loaded>
    </Page>
  );
}

function CalendarForms({ calendar, onSaved }: { calendar: Calendar; onSaved: () => void }) {
  const { t } = useTranslation(['admin', 'common']);
  const [settings, setSettings] = useState({ timeZone: calendar.timeZone, weekendDays: calendar.weekendDays, rule: calendar.rule });
  const [csv, setCsv] = useState('');
  const [settingsError, setSettingsError] = useState<unknown>(null);
  const [importError, setImportError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setSettingsError(null);
    setMessage(null);
    try {
      await api.put('/v1/calendar', settings);
      setMessage(t('calendar.saved'));
      onSaved();
    } catch (caught) {
      setSettingsError(caught);
    }
  };
  const importCsv = async (event: FormEvent) => {
    event.preventDefault();
    setImportError(null);
    setMessage(null);
    try {
      const result = await api.post<{ imported: number }>('/v1/calendar/holidays', { csv });
      setMessage(t('calendar.imported', { count: result.imported }));
      setCsv('');
      onSaved();
    } catch (caught) {
      setImportError(caught);
    }
  };
  const zoneError = fieldErrorOf(settingsError);
  return (
    <>
      {message ? <p className="success" role="status">{message}</p> : null}
      <section className="card" aria-labelledby="calendar-settings">
        <h2 id="calendar-settings">{t('calendar.settings')}</h2>
        <form onSubmit={save}>
          <Field label={t('calendar.timeZone')} hint={t('calendar.timeZoneHint')} error={zoneError?.field === 'timeZone' ? zoneError.message : null}>
            {(props) => <input {...props} value={settings.timeZone} onChange={(event) => setSettings({ ...settings, timeZone: event.target.value })} />}
          </Field>
          <fieldset className="field">
            <legend>{t('calendar.weekendDays')}</legend>
            {WEEKDAYS.map((day) => (
              <label key={day} style={{ marginRight: '0.75rem', display: 'inline-flex', alignItems: 'center' }}>
                <input type="checkbox" style={CHECKBOX_STYLE} checked={settings.weekendDays.includes(day)}
                  onChange={(event) => setSettings({ ...settings, weekendDays: event.target.checked ? [...settings.weekendDays, day] : settings.weekendDays.filter((value) => value !== day) })} />
                {t(`calendar.weekdays.${day}`)}
              </label>
            ))}
          </fieldset>
          <Field label={t('calendar.rule')} hint={t('calendar.ruleHint')}>
            {(props) => (
              <select {...props} value={settings.rule} onChange={(event) => setSettings({ ...settings, rule: event.target.value })}>
                {RULES.map((rule) => <option key={rule} value={rule}>{t(`calendar.rules.${rule}`)}</option>)}
              </select>
            )}
          </Field>
          <button type="submit" className="primary">{t('common:form.save')}</button>
          {settingsError && zoneError?.field !== 'timeZone' ? <ErrorMessage error={settingsError} /> : null}
        </form>
      </section>
      <section className="card" aria-labelledby="calendar-holidays">
        <h2 id="calendar-holidays">{t('calendar.holidays')}</h2>
        <form onSubmit={importCsv}>
          <Field label={t('calendar.csv')} hint={t('calendar.csvHint')}>
            {(props) => <textarea {...props} rows={5} value={csv} placeholder={'date,name\n2026-10-01,国庆节'} onChange={(event) => setCsv(event.target.value)} />}
          </Field>
          <button type="submit" disabled={!csv.trim()}>{t('calendar.import')}</button>
          {importError ? <ErrorMessage error={importError} /> : null}
        </form>
        <DataTable
          caption={t('calendar.holidays')}
          rows={calendar.holidays}
          rowKey={(holiday) => holiday.date}
          columns={[
            { key: 'date', header: t('calendar.date'), cell: (holiday) => holiday.date },
            { key: 'name', header: t('calendar.name'), cell: (holiday) => holiday.name },
          ]}
        />
      </section>
    </>
  );
}

interface StoredOverlay {
  id: string;
  pack: string;
  name: string;
  version: string;
  overlay: Record<string, unknown>;
  createdBy: string;
  createdAt: string;
}

const PACKS = ['CN', 'US', 'US-MA', 'UK'] as const;
const EMPTY_OVERLAY = { pack: 'CN', name: '', version: '', hoursStart: '', hoursEnd: '', blockedWeekdays: [] as string[], ruleId: '', limit: '', windowDays: '', minimumCollectors: '' };

function OverlaysScreen() {
  const { t, i18n } = useTranslation(['admin', 'common']);
  const overlays = useLoad(() => api.get<{ items: StoredOverlay[] }>('/v1/compliance/overlays'), []);
  const [draft, setDraft] = useState(EMPTY_OVERLAY);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setSaved(null);
    const numbers: Record<string, number> = {};
    if (draft.limit.trim()) numbers.limit = Number(draft.limit);
    if (draft.windowDays.trim()) numbers.windowDays = Number(draft.windowDays);
    if (draft.minimumCollectors.trim()) numbers.minimumCollectors = Number(draft.minimumCollectors);
    const body = {
      pack: draft.pack, name: draft.name.trim(), version: draft.version.trim(),
      ...(draft.hoursStart || draft.hoursEnd ? { hours: { start: draft.hoursStart, end: draft.hoursEnd } } : {}),
      ...(draft.blockedWeekdays.length > 0 ? { blockedWeekdays: draft.blockedWeekdays } : {}),
      ...(draft.ruleId.trim() && Object.keys(numbers).length > 0 ? { rules: { [draft.ruleId.trim()]: numbers } } : {}),
    };
    try {
      const created = await api.post<{ policy: string }>('/v1/compliance/overlays', body);
      setSaved(t('overlays.saved', { policy: created.policy }));
      setDraft(EMPTY_OVERLAY);
      overlays.reload();
    } catch (caught) {
      setError(caught);
    }
  };
  const refusedRule = error instanceof ApiError && typeof error.problem.rule === 'string' ? error.problem.rule : null;
  const text = (name: keyof typeof EMPTY_OVERLAY, label: string, hint?: string, type = 'text') => (
    <Field label={label} hint={hint}>
      {(props) => <input {...props} type={type} value={draft[name] as string} onChange={(event) => setDraft({ ...draft, [name]: event.target.value })} />}
    </Field>
  );
  return (
    <Page title={t('overlays.title')}>
      <p>{t('overlays.intro')}</p>
      <Loaded state={overlays}>
        {(data) => data.items.length === 0 ? <Empty>{t('overlays.none')}</Empty> : (
          <DataTable
            caption={t('overlays.caption')}
            rows={data.items}
            rowKey={(overlay) => overlay.id}
            columns={[
              { key: 'pack', header: t('overlays.pack'), cell: (overlay) => overlay.pack },
              { key: 'name', header: t('overlays.name'), cell: (overlay) => `${overlay.name} · ${overlay.version}` },
              { key: 'what', header: t('overlays.tightens'), cell: (overlay) => <code>{JSON.stringify({ ...overlay.overlay, name: undefined, version: undefined, pack: undefined })}</code> },
              { key: 'by', header: t('overlays.createdBy'), cell: (overlay) => overlay.createdBy },
              { key: 'at', header: t('overlays.createdAt'), cell: (overlay) => formatInstant(overlay.createdAt, i18n.language) },
            ]}
          />
        )}
      </Loaded>
      <section className="card" style={{ marginTop: '1rem' }} aria-labelledby="new-overlay">
        <h2 id="new-overlay">{t('overlays.add')}</h2>
        <p className="hint">{t('overlays.addHint')}</p>
        <form style={GRID_FORM_STYLE} onSubmit={submit}>
          <Field label={t('overlays.pack')}>
            {(props) => (
              <select {...props} value={draft.pack} onChange={(event) => setDraft({ ...draft, pack: event.target.value })}>
                {PACKS.map((pack) => <option key={pack} value={pack}>{t(`overlays.packs.${pack}`)}</option>)}
              </select>
            )}
          </Field>
          {text('name', t('overlays.name'), t('overlays.nameHint'))}
          {text('version', t('overlays.version'))}
          {text('hoursStart', t('overlays.hoursStart'), t('overlays.hoursHint'), 'time')}
          {text('hoursEnd', t('overlays.hoursEnd'), t('overlays.hoursHint'), 'time')}
          <fieldset className="field" style={{ gridColumn: '1 / -1' }}>
            <legend>{t('overlays.blockedWeekdays')}</legend>
            {WEEKDAYS.map((day) => (
              <label key={day} style={{ marginRight: '0.75rem', display: 'inline-flex', alignItems: 'center' }}>
                <input type="checkbox" style={CHECKBOX_STYLE} checked={draft.blockedWeekdays.includes(day)}
                  onChange={(event) => setDraft({ ...draft, blockedWeekdays: event.target.checked ? [...draft.blockedWeekdays, day] : draft.blockedWeekdays.filter((value) => value !== day) })} />
                {t(`calendar.weekdays.${day}`)}
              </label>
            ))}
          </fieldset>
          {text('ruleId', t('overlays.ruleId'), t('overlays.ruleIdHint'))}
          {text('limit', t('overlays.limit'), t('overlays.limitHint'), 'number')}
          {text('windowDays', t('overlays.windowDays'), t('overlays.windowDaysHint'), 'number')}
          {text('minimumCollectors', t('overlays.minimumCollectors'), t('overlays.minimumCollectorsHint'), 'number')}
          <div className="field" style={{ gridColumn: '1 / -1' }}><button type="submit" className="primary">{t('overlays.submit')}</button></div>
        </form>
        {refusedRule ? <p className="error" role="alert"><strong>{t('overlays.refused', { rule: refusedRule })}</strong></p> : null}
        {error ? <ErrorMessage error={error} /> : null}
        {saved ? <p className="success" role="status">{saved}</p> : null}
      </section>
    </Page>
  );
}

export const screens: Screen[] = [
  { path: '/admin/products', area: 'admin', permission: 'products:write', titleKey: 'admin:products.title', navigation: true, component: ProductsScreen },
  { path: '/admin/products/:id', area: 'admin', permission: 'products:read', titleKey: 'admin:products.one', navigation: false, component: ProductScreen },
  { path: '/admin/calendar', area: 'admin', permission: 'admin:calendar', titleKey: 'admin:calendar.title', navigation: true, component: CalendarScreen },
  { path: '/admin/overlays', area: 'admin', permission: 'admin:policies', titleKey: 'admin:overlays.title', navigation: true, component: OverlaysScreen },
];
