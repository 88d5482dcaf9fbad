'use client';

import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export interface CompletionChartLot {
  label: string;
  agreedG: number;
  orderedG: number;
  deliveredG: number;
}

/** Agreed vs ordered vs delivered (kg) per lot as grouped bars. */
export function CompletionChart({ lots, labels }: { lots: CompletionChartLot[]; labels: { agreed: string; ordered: string; delivered: string; unit: string; chart: string } }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const chart = echarts.init(element, undefined, { renderer: 'canvas' });
    const series = (name: string, pick: (l: CompletionChartLot) => number) => ({ name, type: 'bar' as const, data: lots.map((l) => pick(l) / 1000) });
    chart.setOption({
      grid: { left: 64, right: 16, top: 40, bottom: 32 },
      tooltip: { trigger: 'axis', valueFormatter: (value: unknown) => `${String(value)} ${labels.unit}` },
      legend: { top: 0, data: [labels.agreed, labels.ordered, labels.delivered] },
      xAxis: { type: 'category', data: lots.map((l) => l.label) },
      yAxis: { type: 'value', name: labels.unit },
      series: [series(labels.agreed, (l) => l.agreedG), series(labels.ordered, (l) => l.orderedG), series(labels.delivered, (l) => l.deliveredG)],
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
