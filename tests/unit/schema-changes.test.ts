import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseChangelog } from '../../src/schema/changelog';
import { parsePendingList } from '../../src/schema/contract-check';
import {
  contractViolations,
  previousSchemaViolations,
  undescribedAdditions,
  type PreviousSchemaInput,
} from '../../src/schema/schema-changes';
import { CHANGELOG_PATH, SDL_PATH, previousSchema } from '../../src/schema/schema-history';

const root = join(__dirname, '../..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

describe('this repository', () => {
  const sdl = read(SDL_PATH);
  const contract = read('src/schema/contract.graphql');

  test('the committed SDL breaks nothing the contract names', async () => {
    const pending = parsePendingList(read('src/schema/contract-pending.txt'));
    expect(await contractViolations(contract, sdl, pending)).toEqual([]);
  });

  test('every type, field, argument and enum value beyond the contract has a description', () => {
    expect(undescribedAdditions(contract, sdl)).toEqual([]);
  });

  test('docs/CHANGELOG.md reads without problems', () => {
    expect(parseChangelog(read(CHANGELOG_PATH)).problems).toEqual([]);
  });

  test('a breaking change against the previous schema is recorded in docs/CHANGELOG.md (npm run schema:check)', async () => {
    const previous = previousSchema(root);
    if ('skipped' in previous) {
      console.warn(`previous-schema comparison skipped: ${previous.skipped}`);
      return;
    }
    const violations = await previousSchemaViolations({
      previousSdl: previous.sdl,
      sdl,
      changelog: read(CHANGELOG_PATH),
      previousChangelog: previous.changelog,
    });
    expect({ against: previous.ref, violations }).toEqual({ against: previous.ref, violations: [] });
  });
});

describe('breaking changes against the previous schema', () => {
  const before = `
    type Query {
      "A greeting."
      hello(name: String): String
      "Replaced by hello."
      hi: String @deprecated(reason: "Use hello.")
      "Not deprecated."
      hey: String
      search(filter: Filter): [String!]!
    }
    input Filter { text: String }
  `;
  const withoutHi = before.replace(/"Replaced by hello."\s*hi: String @deprecated\(reason: "Use hello."\)/, '');
  const withoutHey = before.replace(/"Not deprecated."\s*hey: String/, '');
  const released = '## 0.1.0 — 2026-11-29\n\nThe first version.\n';
  const removal = (coordinate: string, since = '2026-11-29', after = '2027-02-27', date = '2027-03-01') =>
    `## 0.2.0 — ${date}\n\n### Breaking\n\n- \`${coordinate}\` — deprecated since ${since}, removal after ${after}.\n\n${released}`;
  const check = (sdl: string, changelog = released, previousChangelog: string | null = released) =>
    previousSchemaViolations({ previousSdl: before, sdl, changelog, previousChangelog } satisfies PreviousSchemaInput);

  test('an unchanged schema passes', async () => {
    expect(await check(before)).toEqual([]);
  });

  test('a removed field fails when the changelog does not record it', async () => {
    const violations = await check(withoutHi);
    expect(violations.map((v) => v.coordinate)).toEqual(['Query.hi']);
    expect(violations[0].problem).toMatch(/not recorded/);
  });

  test('the same removal passes once a new version records it after the deprecation period', async () => {
    expect(await check(withoutHi, removal('Query.hi'))).toEqual([]);
  });

  test('a removal recorded under a version the previous changelog already had fails', async () => {
    const changelog = removal('Query.hi');
    expect((await check(withoutHi, changelog, changelog)).map((v) => v.coordinate)).toEqual(['Query.hi']);
  });

  test('a deprecation period shorter than 90 days fails', async () => {
    const [v] = await check(withoutHi, removal('Query.hi', '2026-11-29', '2027-01-15'));
    expect(v.problem).toMatch(/deprecation period 47 days/);
  });

  test('a version dated before the removal date fails', async () => {
    const [v] = await check(withoutHi, removal('Query.hi', '2026-11-29', '2027-02-27', '2027-02-01'));
    expect(v.problem).toMatch(/before its removal date/);
  });

  test('removing a field that was never deprecated fails even when recorded', async () => {
    const [v] = await check(withoutHey, removal('Query.hey'));
    expect(v.coordinate).toBe('Query.hey');
    expect(v.problem).toMatch(/did not mark it @deprecated/);
  });

  test('an added required argument fails; an optional one does not', async () => {
    const required = before.replace('hello(name: String)', 'hello(name: String, lang: String!)');
    expect((await check(required)).map((v) => v.coordinate)).toEqual(['Query.hello(lang:)']);
    const optional = before.replace('hello(name: String)', 'hello(name: String, lang: String)');
    expect(await check(optional)).toEqual([]);
  });

  test('a nullable input made non-null fails, and so does a changed field type', async () => {
    const tightened = before.replace('input Filter { text: String }', 'input Filter { text: String! }');
    expect((await check(tightened)).map((v) => v.coordinate)).toEqual(['Filter.text']);
    const retyped = before.replace('hey: String', 'hey: Int');
    expect((await check(retyped)).map((v) => v.coordinate)).toEqual(['Query.hey']);
  });

  test('an example inside a fenced block records nothing', async () => {
    const fenced = `# Changelog\n\n\`\`\`markdown\n${removal('Query.hi')}\`\`\`\n\n${released}`;
    expect(parseChangelog(fenced).versions.map((v) => v.version)).toEqual(['0.1.0']);
    expect((await check(withoutHi, fenced)).map((v) => v.coordinate)).toEqual(['Query.hi']);
  });

  test('an unreadable Breaking entry fails the check', async () => {
    const changelog = `## 0.2.0 — 2027-03-01\n\n### Breaking\n\n- \`Query.hi\` goes away.\n\n${released}`;
    const violations = await check(before, changelog);
    expect(violations).toEqual([{ coordinate: 'docs/CHANGELOG.md', problem: expect.stringMatching(/^line 5:/) }]);
  });
});

describe('the contract', () => {
  const contract = 'type Query { a: String, b(x: Int): String }';

  test('additions pass; a removed or retyped field fails unless it is pending', async () => {
    expect(await contractViolations(contract, 'type Query { a: String, b(x: Int): String, c: Int }', [])).toEqual([]);
    const removed = 'type Query { a: String }';
    expect((await contractViolations(contract, removed, [])).map((v) => v.coordinate)).toEqual(['Query.b']);
    expect(await contractViolations(contract, removed, ['Query.b'])).toEqual([]);
    const retyped = 'type Query { a: Int, b(x: Int): String }';
    expect((await contractViolations(contract, retyped, [])).map((v) => v.coordinate)).toEqual(['Query.a']);
  });
});

describe('descriptions of additions', () => {
  const contract = 'type Query { a(x: Int): String } enum E { ONE }';

  test('a described addition passes; the contract itself needs no descriptions', () => {
    const sdl = `type Query { a(x: Int, "Why." y: Int): String, "What b is." b: String } enum E { ONE, "Two." TWO }`;
    expect(undescribedAdditions(contract, sdl)).toEqual([]);
  });

  test('an added field, argument, enum value or type without a description fails', () => {
    const sdl = `
      type Query { a(x: Int, y: Int): String, b: String, t: T }
      enum E { ONE, TWO }
      type T { "Described." f: String, g: String }
    `;
    expect(undescribedAdditions(contract, sdl).sort()).toEqual(
      ['E.TWO', 'Query.a(y:)', 'Query.b', 'Query.t', 'T', 'T.g'].sort(),
    );
  });
});
