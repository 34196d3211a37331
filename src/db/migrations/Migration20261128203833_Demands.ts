import { Migration } from '@mikro-orm/migrations';

/** Financing demands (融资需求) that banks bid on. */
export class Migration20261128203833_Demands extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "financing_demand" ("id" uuid not null, "created_at" timestamptz not null default now(), "enterprise_id" uuid not null, "amount" numeric(18,2) not null, "term_months" int not null, "purpose" text not null, "max_rate" numeric(9,4) null, "accepted_types" text[] not null, "status" text check ("status" in ('OPEN', 'MATCHED', 'GRANTED', 'WITHDRAWN', 'EXPIRED', 'CLOSED')) not null default 'OPEN', "expires_at" timestamptz not null, "updated_at" timestamptz not null default now(), constraint "financing_demand_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "financing_demand_enterprise_id_status_index" on "financing_demand" ("enterprise_id", "status");`,
    );
    this.addSql(
      `alter table "financing_demand" add constraint "financing_demand_enterprise_id_foreign" foreign key ("enterprise_id") references "enterprise" ("id") on update cascade on delete cascade;`,
    );
    // Newest first, and the market of open demands.
    this.addSql(
      `create index "financing_demand_created_at_id_index" on "financing_demand" ("created_at" desc, "id" desc);`,
    );
    this.addSql(
      `create index "financing_demand_open_index" on "financing_demand" ("expires_at") where "status" = 'OPEN';`,
    );
    this.addSql(
      `alter table "financing_demand" add constraint "financing_demand_terms_check" check (amount > 0 and term_months >= 1 and (max_rate is null or (max_rate > 0 and max_rate <= 24)));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "financing_demand" cascade;`);
  }
}
