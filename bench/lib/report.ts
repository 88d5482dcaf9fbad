import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** One row of a benchmark table: a named variant with its measured figures. */
export type BenchRow = Record<string, string | number | null>;

export interface BenchReport {
  name: string;
  description: string;
  rows: BenchRow[];
  /** Ratios against the in-process baseline, e.g. { 'core ÷ naive (ops/s)': 14.2 }. */
  ratios: Record<string, number>;
  /** Correctness checks run alongside the timing (e.g. recall, equality with brute force). */
  checks?: Record<string, string | number | boolean>;
}

function formatCell(value: string | number | null): string {
  if (value === null) return '—';
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return value.toLocaleString('en-US');
    return value.toLocaleString('en-US', { maximumFractionDigits: 3 });
  }
  return value;
}

export function markdownTable(rows: BenchRow[]): string {
  if (rows.length === 0) return '(no rows)';
  const headers = Object.keys(rows[0]!);
  const lines = [
    `| ${headers.join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${headers.map((h) => formatCell(row[h] ?? null)).join(' | ')} |`),
  ];
  return lines.join('\n');
}

/** Prints the report as a markdown table and writes it as JSON to bench/results/<name>.json. */
export function writeReport(report: BenchReport): string {
  const machine = { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown' };
  const dir = new URL('../results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const file = new URL(`${report.name}.json`, dir);
  writeFileSync(file, `${JSON.stringify({ ...report, machine, at: new Date().toISOString() }, null, 2)}\n`);
  const ratioLines = Object.entries(report.ratios).map(([k, v]) => `- ${k}: ${v.toFixed(2)}×`);
  const checkLines = Object.entries(report.checks ?? {}).map(([k, v]) => `- ${k}: ${String(v)}`);
  const text = [`## ${report.name}`, report.description, '', markdownTable(report.rows), '', ...ratioLines, ...checkLines, ''].join('\n');
  process.stdout.write(`${text}\n`);
  return text;
}

/** Percentile of a sorted-ascending array (nearest rank). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}
