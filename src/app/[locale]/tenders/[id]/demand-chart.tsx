'use client';

import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only the pieces the chart uses, to keep the client bundle small.
echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export interface DemandChartLot {
  label: string;
  /** Demand per region: its code, its name (province, city, county) and grams. */
  byRegion: { regionCode: string; regionName: string; grams: number }[];
}

/** Demand per lot (kg), stacked by region, as an ECharts bar chart. */
export function DemandChart({ lots, label, unit }: { lots: DemandChartLot[]; label: string; unit: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const chart = echarts.init(element, undefined, { renderer: 'canvas' });
    const regions = [...new Set(lots.flatMap((l) => l.byRegion.map((r) => r.regionCode)))].sort();
    const nameOf = new Map(lots.flatMap((l) => l.byRegion.map((r) => [r.regionCode, r.regionName] as const)));
    chart.setOption({
      grid: { left: 64, right: 16, top: 40, bottom: 32 },
      tooltip: { trigger: 'axis', valueFormatter: (value: unknown) => `${String(value)} ${unit}` },
      legend: { top: 0, data: regions.map((region) => nameOf.get(region) ?? region) },
      xAxis: { type: 'category', data: lots.map((l) => l.label) },
      yAxis: { type: 'value', name: unit },
      series: regions.map((region) => ({ name: nameOf.get(region) ?? region, type: 'bar' as const, stack: 'demand', data: lots.map((l) => (l.byRegion.find((r) => r.regionCode === region)?.grams ?? 0) / 1000) })),
    });
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, [lots, unit]);
  return <div ref={ref} className="h-72 w-full" data-testid="demand-chart" role="img" aria-label={label} />;
}
