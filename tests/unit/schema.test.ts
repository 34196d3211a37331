import 'reflect-metadata';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema as parseSdl, isObjectType, parse, validate, type GraphQLSchema } from 'graphql';
import { ACCESS_RULES } from '../../src/auth/access-rules';
import { buildAppSchema } from '../../src/schema/build-schema';
import { contractGaps, parsePendingList } from '../../src/schema/contract-check';
import { printAppSchema } from '../../src/schema/print';

const dir = join(__dirname, '../../src/schema');
const read = (file: string) => readFileSync(join(dir, file), 'utf8');

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildAppSchema();
});

function rootFields(s: GraphQLSchema): string[] {
  return [s.getQueryType(), s.getMutationType(), s.getSubscriptionType()]
    .filter((t) => t && isObjectType(t))
    .flatMap((t) => Object.keys(t!.getFields()).map((f) => `${t!.name}.${f}`));
}

test('the committed SDL is what the server emits (run `npm run schema:emit` after changing resolvers)', () => {
  expect(read('schema.graphql')).toBe(printAppSchema(schema));
});

test('the committed contract copy is the shared contract', () => {
  const shared = join(__dirname, '../../../shared/contract/schema.graphql');
  let upstream: string | undefined;
  try {
    upstream = readFileSync(shared, 'utf8');
  } catch {
    return; // a clone without ../shared checks against its own copy only
  }
  expect(read('contract.graphql')).toBe(upstream);
});

test('the schema serves the contract with the same names, types and nullability', () => {
  const mismatches = contractGaps(read('contract.graphql'), schema).filter((g) => g.problem !== 'missing');
  expect(mismatches).toEqual([]);
});

test('whatever of the contract is missing is exactly the pending list', () => {
  const missing = contractGaps(read('contract.graphql'), schema)
    .filter((g) => g.problem === 'missing')
    .map((g) => g.coordinate)
    .sort();
  const pending = parsePendingList(read('contract-pending.txt')).sort();
  const unlisted = missing.filter((c) => !pending.includes(c));
  const alreadyBuilt = pending.filter((c) => !missing.includes(c));
  expect({ unlisted, alreadyBuilt }).toEqual({ unlisted: [], alreadyBuilt: [] });
});

test('every root field the server serves has a declared access rule', () => {
  const undeclared = rootFields(schema).filter((f) => !ACCESS_RULES[f]);
  expect(undeclared).toEqual([]);
});

test('every access rule names a root field of the contract or the server (no stale rules)', () => {
  const known = new Set([...rootFields(schema), ...rootFields(parseSdl(read('contract.graphql')))]);
  expect(Object.keys(ACCESS_RULES).filter((f) => !known.has(f))).toEqual([]);
});

test('every example operation in docs/examples (one folder per role) is valid against the schema', () => {
  const examples = join(__dirname, '../../docs/examples');
  const files = readdirSync(examples, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.graphql'));
  expect(files.length).toBeGreaterThanOrEqual(60);
  for (const file of files) {
    const errors = validate(schema, parse(readFileSync(join(examples, file), 'utf8'))).map((e) => e.message);
    expect({ file, errors }).toEqual({ file, errors: [] });
  }
});
