'use client';

import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { kg } from '@/lib/display-format.ts';
import { completionBars, percentAxisMax, type CompletionLotAmounts } from './completion-chart.core.ts';

echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent, MarkLineComponent, CanvasRenderer]);

export type CompletionChartLot = CompletionLotAmounts;

/** Ordered and delivered on each lot as a share of what was agreed (the 100 % line), with the kilograms in the tooltip. */
export function CompletionChart({ lots, labels }: { lots: CompletionChartLot[]; labels: { agreed: string; ordered: string; delivered: string; chart: string } }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const chart = echarts.init(element, undefined, { renderer: 'canvas' });
    const bars = completionBars(lots);
    const series = (name: string, pick: 'orderedPct' | 'deliveredPct') => ({ name, type: 'bar' as const, data: bars.map((b) => b[pick]) });
    chart.setOption({
      grid: { left: 56, right: 24, top: 40, bottom: 32 },
      tooltip: {
        trigger: 'axis',
        formatter: (params: { dataIndex: number }[]) => {
          const b = bars[params[0]?.dataIndex ?? 0];
          if (!b) return '';
          const line = (name: string, grams: number, pct: number | null) => `${name}: ${kg(grams)}${pct === null ? '' : ` (${pct}%)`}`;
          return [b.label, line(labels.agreed, b.agreedG, b.agreedG > 0 ? 100 : null), line(labels.ordered, b.orderedG, b.orderedPct), line(labels.delivered, b.deliveredG, b.deliveredPct)].join('<br/>');
        },
      },
      legend: { top: 0, data: [labels.ordered, labels.delivered] },
      xAxis: { type: 'category', data: bars.map((b) => b.label) },
      yAxis: { type: 'value', name: '%', min: 0, max: percentAxisMax(bars), axisLabel: { formatter: '{value}%' } },
      series: [
        { ...series(labels.ordered, 'orderedPct'), markLine: { silent: true, symbol: 'none', lineStyle: { type: 'dashed', color: '#57534e' }, label: { position: 'insideEndTop', formatter: `${labels.agreed} 100%` }, data: [{ yAxis: 100 }] } },
        series(labels.delivered, 'deliveredPct'),
      ],
    });
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, [lots, labels]);
  return <div ref={ref} className="h-72 w-full" data-testid="completion-chart" role="img" aria-label={labels.chart} />;
}
