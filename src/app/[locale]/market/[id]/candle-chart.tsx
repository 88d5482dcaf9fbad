'use client';

import { BarChart, CandlestickChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { candleSeries } from '../market-view.core.ts';

echarts.use([CandlestickChart, BarChart, GridComponent, TooltipComponent, LegendComponent, DataZoomComponent, CanvasRenderer]);

export interface CandleDay {
  day: string;
  openFenPerKg: number;
  highFenPerKg: number;
  lowFenPerKg: number;
  closeFenPerKg: number;
  volumeG: number;
}

export interface CandleChartLabels {
  price: string;
  volume: string;
  open: string;
  close: string;
  low: string;
  high: string;
}

// China convention: a day that closed up is red, one that closed down green.
const UP = '#c0392b';
const DOWN = '#246a3c';

/** Daily candles (¥/kg, China-time days) over a volume bar chart (kg). */
export function CandleChart({ days, labels }: { days: readonly CandleDay[]; labels: CandleChartLabels }) {
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const chart = echarts.init(element, undefined, { renderer: 'canvas' });
    const s = candleSeries(days);
    const money = (v: number) => `¥${v.toFixed(2)}`;
    chart.setOption({
      animation: false,
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'cross' },
        formatter: (params: unknown) => {
          const list = params as { dataIndex: number }[];
          const i = list[0]?.dataIndex ?? 0;
          const [open, close, low, high] = s.candles[i] ?? [0, 0, 0, 0];
          return [
            `<strong>${s.days[i] ?? ''}</strong>`,
            `${labels.open} ${money(open)} · ${labels.close} ${money(close)}`,
            `${labels.low} ${money(low)} · ${labels.high} ${money(high)}`,
            `${labels.volume} ${(s.volumesKg[i] ?? 0).toLocaleString('zh-CN', { maximumFractionDigits: 3 })}`,
          ].join('<br/>');
        },
      },
      axisPointer: { link: [{ xAxisIndex: 'all' }] },
      grid: [
        { left: 64, right: 16, top: 28, height: '58%' },
        { left: 64, right: 16, top: '76%', height: '16%' },
      ],
      xAxis: [
        { type: 'category', data: s.days, boundaryGap: true, axisLabel: { show: false } },
        { type: 'category', gridIndex: 1, data: s.days, boundaryGap: true },
      ],
      yAxis: [
        {
          type: 'value',
          name: labels.price,
          // A few percent around the period's range, so a flat day is not drawn against a zero baseline.
          min: (v: { min: number }) => Math.max(0, Math.floor(v.min * 0.95)),
          max: (v: { max: number }) => Math.ceil(v.max * 1.05),
          axisLabel: { formatter: (v: number) => `¥${v.toFixed(2)}` },
        },
        { type: 'value', gridIndex: 1, name: labels.volume, nameTextStyle: { align: 'left' }, splitNumber: 2, axisLabel: { formatter: (v: number) => v.toLocaleString('en-US') } },
      ],
      dataZoom: [{ type: 'inside', xAxisIndex: [0, 1] }],
      series: [
        { name: labels.price, type: 'candlestick', barMaxWidth: 18, data: s.candles, itemStyle: { color: UP, color0: DOWN, borderColor: UP, borderColor0: DOWN } },
        {
          name: labels.volume,
          type: 'bar',
          xAxisIndex: 1,
          yAxisIndex: 1,
          barMaxWidth: 18,
          data: s.volumesKg.map((value, i) => ({ value, itemStyle: { color: s.rising[i] ? UP : DOWN, opacity: 0.6 } })),
        },
      ],
    });
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, [days, labels]);

  return <div ref={ref} className="h-80 w-full" data-testid="candle-chart" role="img" aria-label={`${labels.price} / ${labels.volume}`} />;
}
