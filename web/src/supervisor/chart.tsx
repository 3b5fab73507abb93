import { type ReactNode, useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { BarChart, LineChart } from 'echarts/charts';
import { DatasetComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

// Only what the dashboards draw, so the bundle carries a fraction of ECharts.
echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, DatasetComponent, SVGRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

/**
 * One chart: an ECharts instance bound to a div, resized with the window and disposed with the
 * component, with an accessible title (the figure's caption names the image) and the same figures
 * as a table for screen readers and keyboard users (`table`, shown under "Show as a table").
 *
 * @example <Chart title="Loans per bucket" option={{ xAxis: {…}, yAxis: {…}, series: [...] }} table={<DataTable … />} />
 */
export function Chart({ title, description, option, table }: { title: string; description?: string; option: ChartOption; table: ReactNode }) {
  const { t } = useTranslation('supervisor');
  const element = useRef<HTMLDivElement>(null);
  const instance = useRef<echarts.ECharts | null>(null);
  const titleId = useId();
  useEffect(() => {
    if (!element.current) return undefined;
    const chart = echarts.init(element.current, undefined, { renderer: 'svg' });
    instance.current = chart;
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
      instance.current = null;
    };
  }, []);
  useEffect(() => {
    // A new option replaces the old one entirely (series that disappear must go).
    instance.current?.setOption({ animation: false, tooltip: { trigger: 'axis' }, grid: { left: 56, right: 16, top: 40, bottom: 32 }, ...option }, { notMerge: true });
  }, [option]);
  return (
    <figure className="chart card" aria-labelledby={titleId}>
      <figcaption id={titleId}><h2>{title}</h2>{description ? <p className="hint">{description}</p> : null}</figcaption>
      <div className="chart-canvas" ref={element} role="img" aria-label={title} />
      <details className="chart-table">
        <summary>{t('chart.showTable')}</summary>
        {table}
      </details>
    </figure>
  );
}

/** A rate string ("0.3333") as a percentage for a chart axis; display only, never a money figure. */
export function percentOf(rate: string | null): number | null {
  return rate === null ? null : Number(rate) * 100;
}

/** A rate string ("0.3333") as text: "33.33%". */
export function formatRate(rate: string | null, locale: string): string {
  if (rate === null) return '—';
  return new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 2 }).format(rate as `${number}`);
}
