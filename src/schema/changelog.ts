/**
 * Reads docs/CHANGELOG.md, whose format is machine-checked by the schema change check:
 *
 *   ## 0.2.0 — 2027-03-01
 *   ### Breaking
 *   - `Query.oldField` — deprecated since 2026-11-29, removal after 2027-02-27. Use `Query.newField`.
 *
 * A version heading is `## <major.minor.patch> — <YYYY-MM-DD>` (an en dash or a hyphen works too). Only the
 * bullets of a `### Breaking` list are read: the first backticked text is a schema coordinate (`Type`,
 * `Type.field`, `Type.field(arg:)`, `Enum.VALUE`), and both dates are required. Other sections are prose,
 * and so is anything inside a fenced code block.
 */

export interface BreakingEntry {
  coordinate: string;
  deprecatedSince: string;
  removalAfter: string;
  line: number;
}

export interface ChangelogVersion {
  version: string;
  date: string;
  breaking: BreakingEntry[];
}

export interface Changelog {
  versions: ChangelogVersion[];
  /** Lines that look like part of the format but cannot be read; the check fails on them. */
  problems: string[];
}

const VERSION_HEADING = /^##\s+(\d+\.\d+\.\d+)\s+[—–-]\s+(\d{4}-\d{2}-\d{2})\s*$/;
const DATE = '(\\d{4}-\\d{2}-\\d{2})';

export function parseChangelog(markdown: string): Changelog {
  const versions: ChangelogVersion[] = [];
  const problems: string[] = [];
  let current: ChangelogVersion | undefined;
  let inBreaking = false;
  let inFence = false;
  markdown.split('\n').forEach((raw, index) => {
    const line = raw.trimEnd();
    const lineNo = index + 1;
    // Fenced blocks hold examples of the format (this file's own policy section has one), not entries.
    const fence = /^\s*(```|~~~)/.test(line);
    if (fence) inFence = !inFence;
    if (fence || inFence) return;
    if (line.startsWith('## ')) {
      const m = VERSION_HEADING.exec(line);
      current = m ? { version: m[1], date: m[2], breaking: [] } : undefined;
      if (current) versions.push(current);
      else if (/^##\s+\d/.test(line)) problems.push(`line ${lineNo}: a version heading is "## 1.2.3 — YYYY-MM-DD"`);
      inBreaking = false;
      return;
    }
    if (line.startsWith('### ')) {
      inBreaking = /^###\s+Breaking\b/i.test(line);
      if (inBreaking && !current) problems.push(`line ${lineNo}: a Breaking list outside a version section`);
      return;
    }
    if (!inBreaking || !current || !/^\s*[-*]\s/.test(line)) return;
    const coordinate = /`([^`]+)`/.exec(line)?.[1];
    const since = new RegExp(`deprecated since ${DATE}`, 'i').exec(line)?.[1];
    const after = new RegExp(`removal after ${DATE}`, 'i').exec(line)?.[1];
    if (!coordinate || !since || !after || !isDate(since) || !isDate(after)) {
      problems.push(
        `line ${lineNo}: a Breaking entry is "- \`Type.field\` — deprecated since YYYY-MM-DD, removal after YYYY-MM-DD"`,
      );
      return;
    }
    current.breaking.push({ coordinate, deprecatedSince: since, removalAfter: after, line: lineNo });
  });
  return { versions, problems };
}

function isDate(text: string): boolean {
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(text);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Numeric semver order (no pre-release tags: the changelog names releases only). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}
