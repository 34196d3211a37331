/** Reading bulk credit files: CSV (RFC 4180 with quoted multi-line fields) and JSON Lines, streamed. */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { StringDecoder } from 'node:string_decoder';

/** The columns of a bulk file, in the GraphQL input's names (docs/credit-data-format.md). */
export const BULK_COLUMNS = [
  'uscc',
  'source',
  'kind',
  'externalId',
  'period',
  'amount',
  'description',
  'occurredOn',
  'subjectName',
  'legalRepresentative',
] as const;
export const REQUIRED_COLUMNS = ['uscc', 'source', 'kind', 'externalId', 'occurredOn'];
/** A physical line or a CSV record longer than this is rejected, so a broken file cannot fill memory. */
export const MAX_RECORD_CHARS = 1 << 20;
export const RAW_SHOWN = 2000;
export const READ_CHUNK = 1 << 16;

export type BulkFormat = 'csv' | 'jsonl';
export type Problem = { field: string; message: string };
/** One record as read: the row, or the raw text when it could not be parsed. */
export type ReadItem = { line: number; row?: Record<string, unknown>; raw?: string; problems?: Problem[] };

/** Problems with the command itself (arguments, file, header, database): exit 1 with the message. */
export class BulkImportError extends Error {
  constructor(
    message: string,
    /** The arguments were wrong: show the usage line too. */
    readonly showUsage = false,
  ) {
    super(message);
  }
}

export function detectFormat(file: string): BulkFormat {
  const ext = extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  throw new BulkImportError(`unsupported file type "${ext || file}": use .csv, .jsonl or .ndjson`);
}

export async function assertReadableFile(file: string): Promise<void> {
  const info = await stat(file).catch(() => null);
  if (!info) throw new BulkImportError(`file not found: ${file}`);
  if (!info.isFile()) throw new BulkImportError(`not a regular file: ${file}`);
  await access(file, constants.R_OK).catch(() => {
    throw new BulkImportError(`file not readable: ${file}`);
  });
}

/** Physical lines with their 1-based numbers; CRLF and a UTF-8 BOM are accepted. */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private carry = '';
  private line = 0;
  private overlong = false;
  private started = false;

  constructor(private readonly onLine: (text: string | null, line: number) => void) {}

  write(chunk: Buffer) {
    this.feed(this.decoder.write(chunk));
  }

  end() {
    this.feed(this.decoder.end());
    if (this.carry !== '' || this.overlong) this.emit(this.carry);
  }

  private feed(text: string) {
    if (!this.started && text) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let from = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
      this.emit(this.overlong ? '' : this.carry + text.slice(from, nl));
      this.carry = '';
      from = nl + 1;
    }
    if (this.overlong) return;
    this.carry += text.slice(from);
    if (this.carry.length > MAX_RECORD_CHARS) [this.overlong, this.carry] = [true, ''];
  }

  private emit(text: string) {
    this.line += 1;
    const tooLong = this.overlong || text.length > MAX_RECORD_CHARS;
    this.overlong = false;
    this.onLine(tooLong ? null : text.endsWith('\r') ? text.slice(0, -1) : text, this.line);
  }
}

const countQuotes = (s: string) => {
  let n = 0;
  for (let i = s.indexOf('"'); i >= 0; i = s.indexOf('"', i + 1)) n += 1;
  return n;
};

/** Splits one complete CSV record (RFC 4180; empty cell = null); null when the quoting is malformed. */
export function splitCsvRecord(text: string): (string | null)[] | null {
  if (!text.includes('"')) return text.split(',').map((v) => (v === '' ? null : v));
  const fields: (string | null)[] = [];
  for (let i = 0; ;) {
    let value: string;
    if (text[i] === '"') {
      value = '';
      for (let j = i + 1; ;) {
        const q = text.indexOf('"', j);
        if (q < 0) return null;
        value += text.slice(j, q);
        if (text[q + 1] !== '"') {
          i = q + 1;
          break;
        }
        value += '"';
        j = q + 2;
      }
      if (i < text.length && text[i] !== ',') return null;
    } else {
      const comma = text.indexOf(',', i);
      value = text.slice(i, comma < 0 ? text.length : comma);
      if (value.includes('"')) return null;
      i += value.length;
    }
    fields.push(value === '' ? null : value);
    if (i >= text.length) return fields;
    i += 1;
  }
}

/**
 * CSV records from physical lines. A quoted field may span lines; a quote left open is rejected
 * with its first line only, and the lines after it are read again as records of their own.
 */
export class CsvReader {
  private header?: string[];
  private open?: { start: number; lines: string[]; quotes: number; chars: number };

  constructor(private readonly onItem: (item: ReadItem) => void) {}

  push(text: string | null, line: number) {
    if (text === null) {
      this.abandonOpen();
      this.onItem({
        line,
        raw: '',
        problems: [{ field: 'record', message: `行过长（超过 ${MAX_RECORD_CHARS} 个字符）` }],
      });
    } else if (this.open) {
      const open = this.open;
      open.lines.push(text);
      open.quotes += countQuotes(text);
      open.chars += text.length + 1;
      if (open.quotes % 2 === 0) {
        this.open = undefined;
        this.record(open.start, open.lines.join('\n'));
      } else if (open.chars > MAX_RECORD_CHARS) this.abandonOpen();
    } else if (text.trim() !== '') {
      const quotes = countQuotes(text);
      if (quotes % 2 === 0) this.record(line, text);
      else this.open = { start: line, lines: [text], quotes, chars: text.length };
    }
  }

  end() {
    while (this.open) this.abandonOpen();
    if (!this.header) throw new BulkImportError('the CSV file has no header row');
  }

  private abandonOpen() {
    const open = this.open;
    if (!open) return;
    this.open = undefined;
    this.onItem({
      line: open.start,
      raw: open.lines[0],
      problems: [{ field: 'record', message: 'CSV 格式错误：引号未闭合' }],
    });
    open.lines.slice(1).forEach((text, k) => this.push(text, open.start + 1 + k));
  }

  private record(line: number, text: string) {
    const fields = splitCsvRecord(text);
    if (!this.header) {
      this.header = csvHeader(fields, line);
      return;
    }
    const problem = !fields
      ? 'CSV 格式错误：引号使用不当（含引号的值须整体加引号，值内引号写作 ""）'
      : fields.length !== this.header.length
        ? `列数应为 ${this.header.length}，实际为 ${fields.length}`
        : null;
    if (problem) this.onItem({ line, raw: text, problems: [{ field: 'record', message: problem }] });
    else this.onItem({ line, row: Object.fromEntries(this.header.map((name, k) => [name, fields![k]])) });
  }
}

export function csvHeader(fields: (string | null)[] | null, line: number): string[] {
  const names = (fields ?? []).map((f) => (f ?? '').trim());
  const unknown = names.filter((n) => !(BULK_COLUMNS as readonly string[]).includes(n));
  const missing = REQUIRED_COLUMNS.filter((n) => !names.includes(n));
  const repeated = names.filter((n, i) => names.indexOf(n) !== i);
  if (!fields || unknown.length || missing.length || repeated.length) {
    const why = !fields
      ? 'malformed quoting'
      : [
          unknown.length && `unknown column(s) ${unknown.map((n) => `"${n}"`).join(', ')}`,
          missing.length && `missing ${missing.join(', ')}`,
          repeated.length && `repeated ${repeated.join(', ')}`,
        ]
          .filter(Boolean)
          .join('; ');
    throw new BulkImportError(`bad CSV header on line ${line} (${why}); the columns are: ${BULK_COLUMNS.join(',')}`);
  }
  return names;
}

export function jsonlItem(text: string | null, line: number): ReadItem | null {
  if (text === null) {
    return { line, raw: '', problems: [{ field: 'record', message: `行过长（超过 ${MAX_RECORD_CHARS} 个字符）` }] };
  }
  if (text.trim() === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { line, raw: text, problems: [{ field: 'record', message: `JSON 格式错误：${(err as Error).message}` }] };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { line, raw: text, problems: [{ field: 'record', message: '每行应为一个 JSON 对象' }] };
  }
  return { line, row: value as Record<string, unknown> };
}
