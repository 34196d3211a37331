import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { ormConfig } from './orm-config';

/**
 * Writes a migration with the difference between the entities and the schema the existing
 * migrations build. Needs DATABASE_URL pointing at a scratch database; add the new class to
 * migrations/index.ts afterwards.
 */
async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL (a scratch database) is required');
  const orm = await MikroORM.init(ormConfig({ url }));
  try {
    const migrator = orm.getMigrator();
    await migrator.up();
    const result = await migrator.createMigration('src/db/migrations', false, false, process.argv[2]);
    console.log(result.fileName ? `written: ${result.fileName}` : 'no changes');
  } finally {
    await orm.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
