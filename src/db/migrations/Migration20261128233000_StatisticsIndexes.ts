import { Migration } from '@mikro-orm/migrations';

/**
 * What the statistics aggregates read (docs/statistics.md): loans by grant date and by first
 * disbursement date (the flows in a date window), the outstanding stock (ACTIVE, OVERDUE,
 * DEFAULTED) with its principal in the index, and loans by demand for the match rate.
 * Demands and offers by creation time already have (created_at desc, id desc) indexes.
 */
export class Migration20261128233000_StatisticsIndexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index "loan_granted_on_index" on "loan" ("granted_on") include ("institution_id", "enterprise_id") where "granted_on" is not null;`,
    );
    this.addSql(
      `create index "loan_disbursed_on_index" on "loan" ("disbursed_on") include ("institution_id", "enterprise_id") where "disbursed_on" is not null;`,
    );
    this.addSql(
      `create index "loan_outstanding_index" on "loan" ("institution_id") include ("status", "outstanding_principal", "enterprise_id") where "status" in ('ACTIVE', 'OVERDUE', 'DEFAULTED');`,
    );
  }

  override async down(): Promise<void> {
    for (const index of ['loan_granted_on_index', 'loan_disbursed_on_index', 'loan_outstanding_index']) {
      this.addSql(`drop index if exists "${index}";`);
    }
  }
}
