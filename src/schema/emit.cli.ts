import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAppSchema } from './build-schema';
import { printAppSchema } from './print';

/** `npm run schema:emit`: writes the SDL the server serves to src/schema/schema.graphql. */
buildAppSchema()
  .then((schema) => {
    const file = join(__dirname, 'schema.graphql');
    writeFileSync(file, printAppSchema(schema));
    console.log(`written: ${file}`);
  })
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
