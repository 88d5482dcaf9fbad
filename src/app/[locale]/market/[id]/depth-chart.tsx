'use client';

import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { depthCurves, type DepthPoint } from '../market-view.core.ts';

echarts.use([LineChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export interface DepthChartLabels {
  bids: string;
  asks: string;
  price: string;
  qty: string;
}

const BID = '#c0392b';
const ASK = '#246a3c';

/** Cumulative depth: kg available at each price or better, bids left of the spread and asks right (¥/kg). */
export function DepthChart({ bids, asks, labels }: { bids: readonly DepthPoint[]; asks: readonly DepthPoint[]; labels: DepthChartLabels }) {
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const chart = echarts.init(element, undefined, { renderer: 'canvas' });
    const curves = depthCurves({ bids, asks });
    const points = (side: readonly [number, number][]) => side.map(([fenPerKg, grams]) => [fenPerKg / 100, grams / 1000]);
    const series = (name: string, data: number[][], color: string, step: 'start' | 'end') => ({
      name,
      type: 'line' as const,
      step,
      showSymbol: false,
      data,
      lineStyle: { color, width: 2 },
      itemStyle: { color },
      areaStyle: { color, opacity: 0.12 },
    });
    chart.setOption({
      // The legend sits top right and the quantity axis's name top left, so on a phone they do not overlap.
      grid: { left: 64, right: 16, top: 40, bottom: 40 },
      legend: { top: 0, right: 0, data: [labels.bids, labels.asks] },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'cross' },
        valueFormatter: (value: unknown) => (typeof value === 'number' ? `${value.toLocaleString('zh-CN', { maximumFractionDigits: 3 })} kg` : String(value)),
      },
      xAxis: { type: 'value', scale: true, name: labels.price, nameLocation: 'middle', nameGap: 26, axisLabel: { formatter: (v: number) => `¥${v.toFixed(2)}` } },
      yAxis: { type: 'value', name: labels.qty, nameTextStyle: { align: 'left' } },
      series: [series(labels.bids, points(curves.bids), BID, 'start'), series(labels.asks, points(curves.asks), ASK, 'end')],
    });
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, [bids, asks, labels]);

  return <div ref={ref} className="h-60 w-full" data-testid="depth-chart" role="img" aria-label={`${labels.bids} / ${labels.asks}: ${labels.qty} × ${labels.price}`} />;
}
