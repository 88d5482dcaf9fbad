'use client';

import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import type { WeeklyPrice } from '@/server/domains/orders/price-history.core.ts';

// Only the pieces the chart uses, to keep the client bundle small.
echarts.use([LineChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export interface PriceHistoryLabels {
  min: string;
  median: string;
  max: string;
  unit: string;
}

/** Fen per kg → yuan per kg, for display only. */
const yuanPerKg = (fen: number) => fen / 100;

/** Weekly min / median / max traded price (¥/kg) of one product as an ECharts line chart. */
export function PriceHistoryChart({ weeks, labels }: { weeks: WeeklyPrice[]; labels: PriceHistoryLabels }) {
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const chart = echarts.init(element, undefined, { renderer: 'canvas' });
    const series = (name: string, pick: (w: WeeklyPrice) => number) => ({ name, type: 'line' as const, showSymbol: true, symbolSize: 8, data: weeks.map((w) => yuanPerKg(pick(w))) });
    chart.setOption({
      grid: { left: 56, right: 16, top: 48, bottom: 32 },
      tooltip: { trigger: 'axis', valueFormatter: (value: unknown) => (typeof value === 'number' ? `¥${value.toFixed(2)} ${labels.unit}` : String(value)) },
      legend: { top: 0, data: [labels.min, labels.median, labels.max] },
      xAxis: { type: 'category', boundaryGap: weeks.length < 2, data: weeks.map((w) => w.week) },
      yAxis: { type: 'value', scale: true, name: labels.unit, axisLabel: { formatter: (value: number) => `¥${value}` } },
      series: [series(labels.min, (w) => w.minFenPerKg), series(labels.median, (w) => w.medianFenPerKg), series(labels.max, (w) => w.maxFenPerKg)],
    });
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, [weeks, labels]);

  return <div ref={ref} className="h-72 w-full" data-testid="price-history-chart" role="img" aria-label={`${labels.min} / ${labels.median} / ${labels.max} (${labels.unit})`} />;
}
