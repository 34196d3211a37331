import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePendingList } from './contract-check';
import {
  contractViolations,
  previousSchemaViolations,
  schemaChanges,
  undescribedAdditions,
  type SchemaChange,
  type Violation,
} from './schema-changes';
import { CHANGELOG_PATH, SDL_PATH, previousSchema } from './schema-history';

/**
 * `npm run schema:check`: the committed SDL against the contract and against the previous schema, the
 * same checks tests/unit/schema-changes.test.ts runs, printed for a person. Exits 1 on a violation.
 */
const root = join(__dirname, '../..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

function printChanges(changes: SchemaChange[]): void {
  if (changes.length === 0) console.log('  no changes');
  for (const level of ['BREAKING', 'DANGEROUS', 'NON_BREAKING'] as const) {
    const some = changes.filter((c) => c.level === level);
    if (some.length) console.log(`  ${level} (${some.length})`);
    for (const c of some) console.log(`    ${c.coordinate}: ${c.message}`);
  }
}

function printViolations(violations: Violation[]): void {
  for (const v of violations) console.log(`  ✗ ${v.coordinate}: ${v.problem}`);
}

async function main(): Promise<number> {
  const sdl = read(SDL_PATH);
  const contract = read('src/schema/contract.graphql');
  const violations: Violation[] = [];

  console.log(`contract → ${SDL_PATH}`);
  const contractChanges = await schemaChanges(contract, sdl);
  // Against the contract only what could hurt is listed; the additions beyond it run to hundreds of lines.
  const risky = contractChanges.filter((c) => c.level !== 'NON_BREAKING');
  if (risky.length) printChanges(risky);
  else console.log('  nothing breaking or dangerous');
  console.log(`  (${contractChanges.length - risky.length} non-breaking: additions and descriptions)`);
  const fromContract = await contractViolations(
    contract,
    sdl,
    parsePendingList(read('src/schema/contract-pending.txt')),
  );
  printViolations(fromContract);
  violations.push(...fromContract);

  const previous = previousSchema(root);
  if ('skipped' in previous) {
    console.log(`\nprevious schema: skipped — ${previous.skipped}`);
  } else {
    console.log(`\n${previous.ref} (${previous.why}) → working tree`);
    printChanges(await schemaChanges(previous.sdl, sdl));
    const fromPrevious = await previousSchemaViolations({
      previousSdl: previous.sdl,
      sdl,
      changelog: read(CHANGELOG_PATH),
      previousChangelog: previous.changelog,
    });
    printViolations(fromPrevious);
    violations.push(...fromPrevious);
  }

  const undescribed = undescribedAdditions(contract, sdl);
  console.log(`\nadditions beyond the contract without a description: ${undescribed.length}`);
  for (const c of undescribed) console.log(`  ✗ ${c}`);

  const failures = violations.length + undescribed.length;
  console.log(failures ? `\n${failures} problem(s)` : '\nok');
  return failures ? 1 : 0;
}

main()
  .then((code) => process.exit(code))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
