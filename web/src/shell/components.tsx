import { type ReactNode, useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from './api.ts';
import { formatBusinessDate, formatMoney } from './format.ts';
import { useSession } from './session.tsx';

/** A screen's frame: its title as the page heading, optional actions, then the content. */
export function Page({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · Lenity`;
  }, [title]);
  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title">{title}</h1>
        {actions ? <div className="page-actions">{actions}</div> : null}
      </header>
      {children}
    </section>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return <p className="loading" role="status" aria-live="polite">{t('loading')}</p>;
}

/** What went wrong and what to do about it; an ended session sends the user back to log in. */
export function ErrorMessage({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const session = useSession();
  const code = error instanceof ApiError ? error.code : 'INTERNAL';
  const detail = error instanceof ApiError ? error.problem.detail : (error as Error | undefined)?.message;
  const whatToDo = t([`error.whatToDo.${code}`, 'error.whatToDo.default']);
  return (
    <div className="error" role="alert">
      <strong>{t('error.title')}</strong>
      <p>{whatToDo}</p>
      {detail ? <p className="error-detail">{detail}</p> : null}
      {code === 'UNAUTHENTICATED' ? <button type="button" onClick={session.forget}>{t('login.submit')}</button> : null}
      {onRetry && code !== 'UNAUTHENTICATED' ? <button type="button" onClick={onRetry}>{t('retry')}</button> : null}
    </div>
  );
}

export function Empty({ children }: { children?: ReactNode }) {
  const { t } = useTranslation();
  return <p className="empty">{children ?? t('empty')}</p>;
}

/** An amount in its currency, formatted for the current language. */
export function Money({ amount, currency }: { amount: string; currency: string }) {
  const { i18n } = useTranslation();
  return <span className="money">{formatMoney(amount, currency, i18n.language)}</span>;
}

export function BusinessDateText({ date }: { date: string | null | undefined }) {
  const { i18n } = useTranslation();
  return <time dateTime={date ?? undefined}>{formatBusinessDate(date, i18n.language)}</time>;
}

export interface Column<Row> {
  key: string;
  header: string;
  cell: (row: Row) => ReactNode;
  /** Right-align numbers and money. */
  numeric?: boolean;
}

/** A table with a caption for screen readers; on narrow screens each row stacks with its labels. */
export function DataTable<Row>({ caption, columns, rows, rowKey }: { caption: string; columns: Column<Row>[]; rows: Row[]; rowKey: (row: Row) => string }) {
  const { t } = useTranslation();
  if (rows.length === 0) return <Empty>{t('table.noRows')}</Empty>;
  return (
    <div className="table-scroll">
      <table className="data-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>{columns.map((column) => <th key={column.key} scope="col" className={column.numeric ? 'numeric' : undefined}>{column.header}</th>)}</tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((column) => <td key={column.key} data-label={column.header} className={column.numeric ? 'numeric' : undefined}>{column.cell(row)}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A labelled input with an optional hint and error, wired for screen readers. */
export function Field({ label, hint, error, children }: { label: string; hint?: string; error?: string | null; children: (props: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => ReactNode }) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? <p className="hint" id={`${id}-hint`}>{hint}</p> : null}
      {children({ id, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined })}
      {error ? <p className="field-error" id={`${id}-error`} role="alert">{error}</p> : null}
    </div>
  );
}

/**
 * Loads data for a screen, with loading and error states and a reload.
 *
 * @example const loans = useLoad(() => api.get<LoanList>('/v1/loans'), []);
 */
export function useLoad<T>(load: () => Promise<T>, dependencies: unknown[]): { data: T | undefined; error: unknown; loading: boolean; reload: () => void } {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: null, loading: true });
  const [version, setVersion] = useState(0);
  const session = useSession();
  useEffect(() => {
    let current = true;
    setState((previous) => ({ ...previous, loading: true, error: null }));
    load().then(
      (data) => current && setState({ data, error: null, loading: false }),
      (error: unknown) => {
        if (!current) return;
        if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') session.forget();
        setState({ data: undefined, error, loading: false });
      },
    );
    return () => {
      current = false;
    };
    // The caller names what the load depends on; `load` itself is a new closure on every render.
  }, [...dependencies, version]);
  const reload = useCallback(() => setVersion((value) => value + 1), []);
  return { ...state, reload };
}

/** Loading, error or the content, in that order. */
export function Loaded<T>({ state, children }: { state: { data: T | undefined; error: unknown; loading: boolean; reload: () => void }; children: (data: T) => ReactNode }) {
  if (state.error) return <ErrorMessage error={state.error} onRetry={state.reload} />;
  if (state.data === undefined) return <Loading />;
  return <>{children(state.data)}</>;
}
