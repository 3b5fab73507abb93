import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

use([BarChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export interface RuleCountBar {
  rule: string;
  channel: string;
  kind: 'reason' | 'warning';
  count: number;
}

// At most this many rules on the chart: the table below lists every one.
const MAXIMUM_RULES_SHOWN = 15;

/**
 * Refusals per rule, one stacked bar per rule with a segment per channel. The chart is a picture of
 * the table that follows it, which stays the text for screen readers.
 */
export function RuleCountChart({ rows, label }: { rows: RuleCountBar[]; label: string }) {
  const { t } = useTranslation('compliance');
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!element.current) return;
    const refusals = rows.filter((row) => row.kind === 'reason');
    const totals = new Map<string, number>();
    for (const row of refusals) totals.set(row.rule, (totals.get(row.rule) ?? 0) + row.count);
    const rules = [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, MAXIMUM_RULES_SHOWN).map(([rule]) => rule).reverse();
    const channels = [...new Set(refusals.map((row) => row.channel))].sort();
    const chart = init(element.current, undefined, { renderer: 'svg' });
    chart.setOption({
      animation: false,
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: rules },
      series: channels.map((channel) => ({
        name: t(`channel.${channel}`, { defaultValue: channel }),
        type: 'bar',
        stack: 'refusals',
        data: rules.map((rule) => refusals.filter((row) => row.rule === rule && row.channel === channel).reduce((total, row) => total + row.count, 0)),
      })),
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [rows, t]);
  const height = Math.max(160, 48 + 28 * Math.min(MAXIMUM_RULES_SHOWN, new Set(rows.filter((row) => row.kind === 'reason').map((row) => row.rule)).size));
  return <div ref={element} role="img" aria-label={label} style={{ width: '100%', height, background: '#fff', marginBottom: '1rem' }} />;
}
