import { Migration } from '@mikro-orm/migrations';

/**
 * A bank's demand list (src/services/bank-demand-page.ts) reads the market, the OPEN demands,
 * newest first: only OPEN rows in the index, so pages past the last month do not walk the
 * demands that were matched, granted or closed long ago. Like the statistics indexes, no entity
 * declares it: a generated migration diff proposes to drop it, delete that line.
 */
export class Migration20261129070000_DemandIndexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index "financing_demand_open_created_at_id_index" on "financing_demand" ("created_at" desc, "id" desc) where "status" = 'OPEN';`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "financing_demand_open_created_at_id_index";`);
  }
}
