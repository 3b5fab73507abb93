import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../shell/components.tsx';
import { todayOnDevice } from '../shell/format.ts';

export interface DateRange { from: string; to: string }

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function daysBefore(date: string, days: number): string {
  const instant = new Date(`${date}T00:00:00Z`);
  instant.setUTCDate(instant.getUTCDate() - days);
  return instant.toISOString().slice(0, 10);
}

/** The dashboard's period: the last 365 days by default (the longest a report covers). */
export function useDateRange(): [DateRange, (range: DateRange) => void] {
  const today = todayOnDevice();
  return useState<DateRange>({ from: daysBefore(today, 365), to: today });
}

/**
 * Two labelled date inputs and an "Show" button; the range applies when shown, so a half-typed date
 * never reaches the server. The server checks the range again (at most 366 days).
 */
export function DateRangePicker({ range, onChange }: { range: DateRange; onChange: (range: DateRange) => void }) {
  const { t } = useTranslation('supervisor');
  const [draft, setDraft] = useState(range);
  const invalid = !DATE.test(draft.from) || !DATE.test(draft.to) ? t('range.incomplete') : draft.to < draft.from ? t('range.backwards') : null;
  return (
    <form className="range-picker" onSubmit={(event) => { event.preventDefault(); if (!invalid) onChange(draft); }} noValidate>
      <Field label={t('range.from')}>{(props) => <input {...props} type="date" value={draft.from} onChange={(event) => setDraft({ ...draft, from: event.target.value })} />}</Field>
      <Field label={t('range.to')} error={invalid}>{(props) => <input {...props} type="date" value={draft.to} onChange={(event) => setDraft({ ...draft, to: event.target.value })} />}</Field>
      <button type="submit" className="primary" disabled={invalid !== null}>{t('range.apply')}</button>
    </form>
  );
}
