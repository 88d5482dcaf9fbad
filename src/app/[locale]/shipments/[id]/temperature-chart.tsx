'use client';

import { LineChart } from 'echarts/charts';
import { GridComponent, MarkAreaComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([LineChart, GridComponent, TooltipComponent, MarkAreaComponent, VisualMapComponent, CanvasRenderer]);

export interface TemperatureReading {
  at: string;
  celsius: number;
  excursion: boolean;
}

const TIME = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });

/**
 * Cold-chain readings over time with the allowed 2–8 °C band shaded; readings outside it are drawn in
 * red, so an excursion is seen before it is read.
 */
export function TemperatureChart({ readings, minC, maxC, labels }: { readings: readonly TemperatureReading[]; minC: number; maxC: number; labels: { series: string; band: string } }) {
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const chart = echarts.init(element, undefined, { renderer: 'canvas' });
    const values = readings.map((r) => r.celsius);
    chart.setOption({
      grid: { left: 48, right: 16, top: 24, bottom: 36 },
      tooltip: {
        trigger: 'axis',
        formatter: (params: { value: [number, number] }[]) => {
          const [at, celsius] = params[0]?.value ?? [0, 0];
          return `${TIME.format(new Date(at))}<br/>${celsius.toFixed(1)} °C`;
        },
      },
      // A time axis: readings come when the carrier sends them, so their gaps are shown as they were.
      xAxis: { type: 'time', axisLabel: { hideOverlap: true, formatter: (at: number) => TIME.format(new Date(at)) } },
      yAxis: { type: 'value', name: '°C', min: Math.floor(Math.min(0, ...values)), max: Math.ceil(Math.max(12, ...values)) },
      visualMap: { show: false, dimension: 1, pieces: [{ lt: minC, color: '#b91c1c' }, { gte: minC, lte: maxC, color: '#1f6f43' }, { gt: maxC, color: '#b91c1c' }] },
      series: [
        {
          name: labels.series,
          type: 'line',
          showSymbol: true,
          symbolSize: 6,
          data: readings.map((r) => [new Date(r.at).getTime(), r.celsius]),
          markArea: { silent: true, itemStyle: { color: 'rgba(31, 111, 67, 0.08)' }, label: { show: true, position: 'insideTopLeft', formatter: labels.band, color: '#1f6f43', fontWeight: 'bold' }, data: [[{ yAxis: minC }, { yAxis: maxC }]] },
        },
      ],
    });
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, [readings, minC, maxC, labels]);

  return <div ref={ref} className="h-64 w-full" data-testid="shipment-temperature-chart" role="img" aria-label={`${labels.series}; ${labels.band}`} />;
}
