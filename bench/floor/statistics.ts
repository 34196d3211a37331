import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { FinancialInstitution } from '../../src/entities';
import { ormConfig } from '../../src/db/orm-config';
import type { RequestContext } from '../../src/services/request-context';
import { StatisticsService, type StatisticsFilter } from '../../src/services/statistics.service';

// W4's floor is PostgreSQL alone running the statements the server runs for platformStatistics.
// They are taken from the application itself: the service and the institution loader's select run
// once on a real entity manager while knex's `query` events record each statement with its
// bindings, so the floor follows the service whenever its SQL changes.

export interface Statement {
  text: string;
  values: unknown[];
}

/** knex hands pg `?` placeholders only when it has not rewritten them already. */
function numbered(sql: string, bindings: unknown[]): Statement {
  if (/\$\d/.test(sql) || bindings.length === 0) return { text: sql, values: bindings };
  let i = 0;
  const text = sql.replace(/\?/g, () => `$${++i}`);
  if (i !== bindings.length) throw new Error(`expected ${bindings.length} placeholders, found ${i}`);
  return { text, values: bindings };
}

export async function statisticsStatements(url: string, filter: StatisticsFilter, now: Date): Promise<Statement[]> {
  const orm = await MikroORM.init(ormConfig({ url, poolMax: 2 }));
  const captured: Statement[] = [];
  try {
    const knex = orm.em.getKnex();
    knex.on('query', (q: { sql: string; bindings?: unknown[] }) => captured.push(numbered(q.sql, q.bindings ?? [])));
    const ctx = { em: orm.em.fork(), now: () => now } as unknown as RequestContext;
    const result = await new StatisticsService().platformStatistics(ctx, filter);
    const ids = [...new Set(result.byInstitution.map((s) => s.institutionId))];
    if (ids.length) await orm.em.fork().find(FinancialInstitution, { id: { $in: ids } });
    return captured.filter((s) => !/^(begin|commit|rollback)/i.test(s.text.trim()));
  } finally {
    await orm.close();
  }
}
