import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Measurement } from './drive';
import type { Generation } from './bench-dataset';
import type { MachineInfo } from './report';

export interface TargetResult extends Measurement {
  target: 'server' | 'no-rls' | 'floor';
  /** server req/s ÷ floor req/s at the same connections (server rows with a floor only). */
  ratioToFloor: number | null;
}

export interface CaseResult {
  label: string;
  variables: Record<string, unknown>;
  /** From the server's x-sql-statements header (1 for the floor's single statement). */
  sqlStatements: { server: number; floor: number | null };
  responseBytes: { server: number; floor: number | null };
  /** The operation's cost as the server prices it (its limit is DEFAULT_QUERY_LIMITS.maxCost). */
  cost: number;
  /** Did the floor answer exactly the server's data (compared once, before the runs)? */
  floorSameData: boolean | null;
  floorDifference?: string;
  /** Each statement of W4's floor alone, median of 3 runs. */
  floorStatementsMs?: number[];
  rows: TargetResult[];
}

export interface WorkloadResult {
  benchmark: 'workloads';
  workload: string;
  title: string;
  date: string;
  machine: MachineInfo;
  params: {
    size: string;
    durationSeconds: number;
    warmupSeconds: number;
    connections: number[];
    poolMax: number;
    compiled?: boolean;
  };
  dataset: Generation;
  cases: CaseResult[];
  soak?: {
    seconds: number;
    connections: number;
    reqPerSec: number;
    p99Ms: number;
    rssMiB: number[];
    maxRssMiB: number;
  };
}

const fmt = (n: number | null, digits = 1) =>
  n === null || Number.isNaN(n)
    ? '–'
    : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const mib = (bytes: number | null) => (bytes === null ? '–' : `${Math.round(bytes / 2 ** 20)}`);

export function formatWorkload(result: WorkloadResult): string {
  const header = [
    'case',
    'target',
    'conns',
    'req/s',
    'p50 ms',
    'p99 ms',
    'SQL/req',
    'CPU ms/req',
    'DB CPU ms/req',
    'RSS MiB',
    'max RSS',
    'vs floor',
    'fails',
  ];
  const rows: string[][] = [];
  for (const c of result.cases) {
    for (const r of c.rows) {
      rows.push([
        c.label,
        r.target === 'floor' && result.workload === 'W4' ? 'PostgreSQL' : r.target,
        String(r.connections),
        fmt(r.reqPerSec, 0),
        fmt(r.p50Ms),
        fmt(r.p99Ms),
        String(r.target !== 'floor' ? c.sqlStatements.server : (c.sqlStatements.floor ?? '–')),
        fmt(r.cpuMsPerRequest, 2),
        fmt(r.dbCpuMsPerRequest, 2),
        mib(r.rssBytes),
        mib(r.maxRssBytes),
        r.ratioToFloor === null ? '' : `${(r.ratioToFloor * 100).toFixed(0)} %`,
        String(r.failures),
      ]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  const rule = '─'.repeat(line(header).length);
  const notes = result.cases.map(
    (c) =>
      `${c.label}: cost ${c.cost}, response ${fmt(c.responseBytes.server / 1024)} KiB` +
      (c.floorSameData === null
        ? ''
        : c.floorSameData
          ? ', floor answers the same data'
          : `, floor differs: ${c.floorDifference}`) +
      (c.floorStatementsMs
        ? `, PostgreSQL per statement ${c.floorStatementsMs.map((ms) => `${fmt(ms)} ms`).join(' + ')}`
        : ''),
  );
  const soak = result.soak
    ? [
        `soak: ${result.soak.seconds} s at ${result.soak.connections} connections, ${fmt(result.soak.reqPerSec, 0)} req/s, ` +
          `p99 ${fmt(result.soak.p99Ms)} ms, RSS ${result.soak.rssMiB.join(' ')} MiB, max ${result.soak.maxRssMiB} MiB`,
      ]
    : [];
  return [rule, line(header), rule, ...rows.map(line), rule, ...notes, ...soak].join('\n');
}

export function writeWorkloadResult(file: string, result: WorkloadResult): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
}
