import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BulkImportError, importCreditFile } from '../../src/services/credit/bulk-import';
import { shanghaiDate } from '../../src/services/time';
import { usccCheckChar } from '../../src/services/uscc';
import { validUscc } from '../support/fixtures';
import { cliEnv, runCli } from '../support/cli';
import { startTestServer, type TestServer } from '../support/test-server';

jest.setTimeout(180_000);

const HEADER = 'uscc,source,kind,externalId,period,amount,description,occurredOn,subjectName,legalRepresentative';
const daysAgo = (n: number) => shanghaiDate(new Date(Date.now() - n * 86_400_000));
const cell = (v: string | null) => (v === null ? '' : /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

interface Row {
  uscc: string;
  source: string;
  kind: string;
  externalId: string;
  period?: string | null;
  amount?: string | null;
  description?: string | null;
  occurredOn: string;
}

/** A CSV built line by line, remembering where each record starts. */
class CsvFile {
  private text = `${HEADER}\n`;
  private nextLine = 2;

  add(r: Row): number {
    return this.raw(
      [r.uscc, r.source, r.kind, r.externalId, r.period ?? null, r.amount ?? null, r.description ?? null, r.occurredOn]
        .map(cell)
        .join(',') + ',,',
    );
  }

  raw(line: string): number {
    const at = this.nextLine;
    this.text += `${line}\n`;
    this.nextLine += line.split('\n').length;
    return at;
  }

  save(path: string) {
    writeFileSync(path, this.text);
  }
}

const run = (args: string[], env: Record<string, string>) => runCli('src/db/import-credit.cli.ts', args, env);

const readRejects = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

describe('npm run import:credit', () => {
  let server: TestServer;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    server = await startTestServer();
    dir = mkdtempSync(join(tmpdir(), 'cel-import-'));
    env = cliEnv(server.dbUrl, { DATA_DIR: join(dir, 'data') });
  });

  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('a CSV file with 2,000 good rows and bad ones', () => {
    const file = () => join(dir, 'records.csv');
    let enterprises: { id: string; uscc: string }[];
    let unregistered: string;
    const expected = new Map<number, { field: string; message: string }>();
    let supersededLine = 0;
    let winningLine = 0;
    const tricky = 'line one\nline two, with "quotes",\ta tab and a back\\slash';

    beforeAll(async () => {
      enterprises = await Promise.all([1, 2, 3, 4].map(() => server.fixtures.enterprise()));
      unregistered = validUscc();
      const usccs = [...enterprises.map((e) => e.uscc), unregistered];
      const csv = new CsvFile();
      const kinds = [
        { source: 'TAX', kind: 'VAT_PAID', amount: (i: number) => `${1000 + i}.50`, description: null },
        { source: 'SOCIAL_SECURITY', kind: 'EMPLOYEES_INSURED', amount: (i: number) => String(10 + (i % 7)) },
        { source: 'TAX', kind: 'TAX_CREDIT_LEVEL', amount: () => null, description: 'B' },
        { source: 'UTILITY', kind: 'UTILITY_PAID_ON_TIME', amount: () => null },
        { source: 'PENALTY', kind: 'ADMIN_PENALTY', amount: () => '500.00', description: '超标排放, 责令改正' },
      ];
      const good = (i: number): Row => {
        const k = kinds[i % kinds.length]!;
        const occurredOn = daysAgo(1 + (i % 700));
        return {
          uscc: usccs[i % usccs.length]!,
          source: k.source,
          kind: k.kind,
          externalId: `T-${i}`,
          period: occurredOn.slice(0, 7),
          amount: k.amount(i),
          description: i === 10 ? tricky : (k.description ?? null),
          occurredOn,
        };
      };
      const bad = (r: Partial<Row>, field: string, message: string) => {
        expected.set(csv.add({ ...good(0), externalId: `BAD-${expected.size}`, ...r }), { field, message });
      };
      const wrongCheck = usccs[0]!.slice(0, 17) + (usccCheckChar(usccs[0]!.slice(0, 17)) === '0' ? '1' : '0');
      for (let i = 0; i < 2000; i += 1) {
        const line = csv.add(good(i));
        if (i === 5) supersededLine = line;
        if (i === 100) bad({ uscc: wrongCheck }, 'uscc', '统一社会信用代码校验位错误');
        if (i === 200) bad({ occurredOn: daysAgo(-3) }, 'occurredOn', '发生日期不能晚于今天');
        if (i === 300) bad({ source: 'PENALTY', kind: 'VAT_PAID' }, 'kind', 'VAT_PAID 应来自 TAX');
        if (i === 400) bad({ source: 'BANK' }, 'source', '数据来源无效');
        if (i === 500) bad({ amount: '12.345' }, 'amount', '金额最多保留两位小数');
        if (i === 600) bad({ amount: 'abc' }, 'amount', '金额应为十进制数字');
        if (i === 700) {
          const line = csv.raw(`"${usccs[0]}"x,TAX,VAT_PAID,BAD-q,2026-01,1.00,,${daysAgo(1)},,`);
          expected.set(line, { field: 'record', message: 'CSV 格式错误：引号使用不当' });
        }
        if (i === 800)
          expected.set(csv.raw('only,three,columns'), { field: 'record', message: '列数应为 10，实际为 3' });
        if (i === 900) csv.raw('');
      }
      winningLine = csv.add({ ...good(5), amount: '9999.00' });
      csv.save(file());
    });

    it('imports the good rows, rejects the bad ones with their lines and problems, and re-evaluates', async () => {
      const { code, stdout, stderr } = await run([file()], env);
      expect({ code, stderr: code ? stderr : '' }).toEqual({ code: 0, stderr: '' });
      expect(stdout).toContain('inserted 2000, updated 0, rejected 9, re-evaluated 4 enterprises');
      expect(stdout).toContain(`rejects: ${file()}.rejects.jsonl`);
      expect(stderr).toMatch(/read 2,009 rows .*rows\/s/);

      const rejects = readRejects(`${file()}.rejects.jsonl`);
      expect(rejects.map((r) => r.line).sort((a, b) => a - b)).toEqual(
        [...expected.keys(), supersededLine].sort((a, b) => a - b),
      );
      for (const [line, { field, message }] of expected) {
        const entry = rejects.find((r) => r.line === line);
        expect(entry.problems).toEqual(expect.arrayContaining([{ field, message: expect.stringContaining(message) }]));
        if (field === 'record') expect(typeof entry.raw).toBe('string');
        else expect(entry.row.externalId).toMatch(/^BAD-/);
      }
      const superseded = rejects.find((r) => r.line === supersededLine);
      expect(superseded).toMatchObject({ supersededBy: winningLine, row: { externalId: 'T-5', amount: '1005.50' } });
      expect(superseded.problems[0].message).toContain(
        `duplicate externalId in file, superseded by line ${winningLine}`,
      );

      const [{ n }] = await server.sql(`select count(*)::int as n from credit_record where external_id like 'T-%'`);
      expect(n).toBe(2000);
      const [t5] = await server.sql(`select amount from credit_record where source = 'TAX' and external_id = 'T-5'`);
      expect(t5.amount).toBe('9999.00');
      const [t10] = await server.sql(`select description from credit_record where external_id = 'T-10'`);
      expect(t10.description).toBe(tricky);
      const [kept] = await server.sql('select count(*)::int as n from credit_record where uscc = ?', [unregistered]);
      expect(kept.n).toBe(400);
      const reports = await server.sql(
        'select e.id, count(r.id)::int as n, e.credit_grade from enterprise e left join credit_report r on r.enterprise_id = e.id group by e.id',
      );
      for (const e of enterprises) expect(reports.find((r) => r.id === e.id)).toMatchObject({ n: 1 });
      const [audit] = await server.sql(`select detail from audit_event where action = 'importCreditRecords'`);
      expect(audit.detail).toMatchObject({ via: 'import:credit', inserted: 2000, updated: 0, rejected: 9 });
    });

    it('is idempotent: the same file again updates every good row and inserts none', async () => {
      const { code, stdout } = await run([file()], env);
      expect(code).toBe(0);
      expect(stdout).toContain('inserted 0, updated 2000, rejected 9, re-evaluated 4 enterprises');
      expect(readRejects(`${file()}.rejects.jsonl`)).toHaveLength(9);
      const [{ n }] = await server.sql(`select count(*)::int as n from credit_record where external_id like 'T-%'`);
      expect(n).toBe(2000);
      const reports = await server.sql(
        'select enterprise_id, count(*)::int as n from credit_report group by enterprise_id',
      );
      for (const e of enterprises) expect(reports.find((r) => r.enterprise_id === e.id)).toMatchObject({ n: 2 });
    });

    it('reads JSON Lines, writes rejects where asked, and re-evaluates the enterprise a record moved away from', async () => {
      const target = await server.fixtures.enterprise();
      const row = (externalId: string, amount: unknown, uscc = target.uscc, source = 'TAX') =>
        JSON.stringify({ uscc, source, kind: 'VAT_PAID', externalId, amount, occurredOn: daysAgo(2) });
      const misspelt = JSON.stringify({ ...JSON.parse(row('J-4', '1.00')), externalId: undefined, external_id: 'J-4' });
      const jsonl = join(dir, 'records.jsonl');
      const rejectsPath = join(dir, 'jsonl-rejects.jsonl');
      writeFileSync(
        jsonl,
        [
          row('J-1', '100.00'),
          row('J-2', 250),
          '{"uscc": ',
          '[1, 2]',
          '',
          row('J-3', 12.5),
          row('T-0', '1.00'),
          misspelt,
        ].join('\n'),
      );
      const { code, stdout, stderr } = await run([jsonl, '--rejects', rejectsPath], env);
      expect({ code, stderr: code ? stderr : '' }).toEqual({ code: 0, stderr: '' });
      // T-0 moves from the first enterprise to the target: both are re-evaluated.
      expect(stdout).toContain('inserted 2, updated 1, rejected 4, re-evaluated 2 enterprises');
      expect(stdout).toContain(`rejects: ${rejectsPath}`);
      expect(readRejects(rejectsPath)).toEqual([
        {
          line: 3,
          raw: '{"uscc": ',
          problems: [{ field: 'record', message: expect.stringContaining('JSON 格式错误') }],
        },
        { line: 4, raw: '[1, 2]', problems: [{ field: 'record', message: '每行应为一个 JSON 对象' }] },
        {
          line: 6,
          row: expect.objectContaining({ externalId: 'J-3', amount: 12.5 }),
          problems: [{ field: 'amount', message: expect.stringContaining('金额应为十进制数字') }],
        },
        {
          line: 8,
          row: expect.objectContaining({ external_id: 'J-4' }),
          problems: expect.arrayContaining([
            { field: 'external_id', message: expect.stringContaining('未知字段') },
            { field: 'externalId', message: expect.any(String) },
          ]),
        },
      ]);
      const rows = await server.sql(
        `select external_id, amount, uscc from credit_record where external_id in ('J-1', 'J-2', 'T-0') order by 1`,
      );
      expect(rows).toEqual([
        { external_id: 'J-1', amount: '100.00', uscc: target.uscc },
        { external_id: 'J-2', amount: '250.00', uscc: target.uscc },
        { external_id: 'T-0', amount: '1.00', uscc: target.uscc },
      ]);
      const [first] = await server.sql('select count(*)::int as n from credit_report where enterprise_id = ?', [
        enterprises[0]!.id,
      ]);
      expect(first.n).toBe(3);
    });
  });

  it('recovers from an unclosed quote, with a BOM, CRLF and a header of only some columns (in-process)', async () => {
    const e = await server.fixtures.enterprise();
    const file = join(dir, 'crlf.csv');
    const d = daysAgo(3);
    writeFileSync(
      file,
      `\uFEFFoccurredOn,externalId,uscc,source,kind,amount\r\n${d},D-1,${e.uscc},TAX,VAT_PAID,10.00\r\n` +
        `${d},"D-2,${e.uscc},TAX,VAT_PAID,20.00\r\n${d},D-3,${e.uscc},TAX,VAT_PAID,30.00\r\n`,
    );
    const summary = await importCreditFile({ file, databaseUrl: server.dbUrl, orm: server.orm });
    expect(summary).toMatchObject({ rowsRead: 3, inserted: 2, updated: 0, rejected: 1, reevaluated: 1 });
    expect(readRejects(summary.rejectsPath)).toEqual([
      {
        line: 3,
        raw: `${d},"D-2,${e.uscc},TAX,VAT_PAID,20.00`,
        problems: [{ field: 'record', message: 'CSV 格式错误：引号未闭合' }],
      },
    ]);
    const rows = await server.sql(`select external_id from credit_record where external_id like 'D-%' order by 1`);
    expect(rows.map((r) => r.external_id)).toEqual(['D-1', 'D-3']);
  });

  it('refuses a header with an unknown column before importing anything', async () => {
    const file = join(dir, 'header.csv');
    writeFileSync(file, `uscc,source,kind,external_id,occurredOn\n${validUscc()},TAX,VAT_PAID,H-1,${daysAgo(1)}\n`);
    const attempt = importCreditFile({ file, databaseUrl: server.dbUrl, orm: server.orm });
    await expect(attempt).rejects.toThrow(BulkImportError);
    await expect(attempt).rejects.toThrow(/unknown column\(s\) "external_id".*missing externalId/);
  });

  it('exits 1 with a message for a missing file or bad arguments', async () => {
    const missing = await run([join(dir, 'nope.csv')], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`import:credit: file not found: ${join(dir, 'nope.csv')}`);
    expect(missing.stdout).toBe('');

    const none = await run([], env);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no file given');
    expect(none.stderr).toContain('usage: npm run import:credit');

    const type = await run([join(dir, 'records.xlsx')], env);
    expect(type.code).toBe(1);
    expect(type.stderr).toContain('unsupported file type ".xlsx"');
  });

  it('exits 1 with a message when the database cannot be reached', async () => {
    const file = join(dir, 'db.jsonl');
    writeFileSync(file, '');
    const { code, stderr } = await run([file], { ...env, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nothing' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/import:credit: cannot open the database: database error: .*ECONNREFUSED/);
  });
});
