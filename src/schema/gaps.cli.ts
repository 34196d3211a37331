import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAppSchema } from './build-schema';
import { contractGaps } from './contract-check';

/**
 * `npm run schema:gaps`: prints what the contract names that the server does not serve yet,
 * one coordinate per line (the format of contract-pending.txt), and any mismatches to stderr.
 */
buildAppSchema()
  .then((schema) => {
    const gaps = contractGaps(readFileSync(join(__dirname, 'contract.graphql'), 'utf8'), schema);
    for (const g of gaps.filter((x) => x.problem !== 'missing')) console.error(JSON.stringify(g));
    console.log(
      gaps
        .filter((g) => g.problem === 'missing')
        .map((g) => g.coordinate)
        .join('\n'),
    );
  })
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
