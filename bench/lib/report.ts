import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname } from 'node:path';
import type { CopyBaseline } from './copy-baseline';
import type { DatasetStats } from './dataset';

/** The machine a result was measured on, recorded with every result file. */
export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryBytes: number;
  node: string;
  postgres: string;
  /** Where PostgreSQL ran: the machine's own (DATABASE_URL) or an embedded one. */
  server?: string;
}

export function machineInfo(postgres: string, embedded?: boolean): MachineInfo {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryBytes: totalmem(),
    node: process.versions.node,
    postgres,
    ...(embedded === undefined ? {} : { server: embedded ? 'embedded' : 'DATABASE_URL' }),
  };
}

export interface BenchResult {
  benchmark: 'credit-reevaluation';
  date: string;
  machine: MachineInfo;
  params: { enterprises: number; records: number; evaluationBatch: number; asOf: string };
  generation: DatasetStats;
  evaluation: {
    seconds: number;
    reports: number;
    enterprisesPerSecond: number;
    recordsPerSecond: number;
    sqlStatements: number;
    sqlStatementsPer1000Enterprises: number;
    peakRssBytes: number;
    grades: Record<string, number>;
    riskLevels: Record<string, number>;
  };
  baseline: CopyBaseline;
  /** evaluation seconds ÷ baseline seconds */
  ratio: number;
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const secs = (s: number) => `${s.toFixed(2)} s`;
const int = (n: number) => Math.round(n).toLocaleString('en-US');
const perSec = (n: number, s: number) => `${int(n / s)} rows/s`;

export function formatTable(r: BenchResult): string {
  const b = r.baseline;
  const e = r.evaluation;
  const rows: [string, string][] = [
    ['dataset', `${int(r.params.enterprises)} enterprises, ${int(r.params.records)} records, as of ${r.params.asOf}`],
    [
      'server',
      `PostgreSQL ${r.machine.postgres} (${r.machine.server}), ${r.machine.cpus} cores, Node ${r.machine.node}`,
    ],
    [
      'generation (not measured)',
      `${secs(r.generation.totalSeconds)} (enterprises ${secs(r.generation.enterpriseSeconds)}, records ${secs(r.generation.recordSeconds)}, vacuum analyze ${secs(r.generation.vacuumAnalyzeSeconds)})`,
    ],
    ['evaluation', secs(e.seconds)],
    ['  enterprises/s', int(e.enterprisesPerSecond)],
    ['  records read/s', int(e.recordsPerSecond)],
    [
      '  SQL statements',
      `${int(e.sqlStatements)} (${e.sqlStatementsPer1000Enterprises.toFixed(1)} per 1,000 enterprises)`,
    ],
    ['  peak RSS', mib(e.peakRssBytes)],
    [
      '  grades',
      Object.entries(e.grades)
        .map(([g, n]) => `${g} ${int(n)}`)
        .join(', '),
    ],
    [
      '  risk levels',
      Object.entries(e.riskLevels)
        .map(([g, n]) => `${g} ${int(n)}`)
        .join(', '),
    ],
    [
      'baseline (a) COPY records out',
      `${secs(b.recordsOut.seconds)} (${int(b.recordsOut.rows)} rows, ${mib(b.recordsOut.bytes)}, ${perSec(b.recordsOut.rows, b.recordsOut.seconds)})`,
    ],
    [
      'baseline (b) COPY reports in',
      `${secs(b.reportsIn.seconds)} (${int(b.reportsIn.rows)} rows, ${mib(b.reportsIn.bytes)}, ${perSec(b.reportsIn.rows, b.reportsIn.seconds)})`,
    ],
    ['baseline (a) + (b)', secs(b.seconds)],
    ['ratio evaluation / baseline', `${r.ratio.toFixed(1)}×`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const line = '─'.repeat(width + 2);
  return [line, ...rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`), line].join('\n');
}

export function writeResult(file: string, result: BenchResult): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
}
