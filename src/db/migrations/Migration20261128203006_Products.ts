import { Migration } from '@mikro-orm/migrations';

/** The financial supermarket: loan products. */
export class Migration20261128203006_Products extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "loan_product" ("id" uuid not null, "created_at" timestamptz not null default now(), "institution_id" uuid not null, "name" text not null, "description" text not null, "type" text check ("type" in ('CREDIT', 'GUARANTEE', 'MORTGAGE', 'PLEDGE', 'SUPPLY_CHAIN')) not null, "min_amount" numeric(18,2) not null, "max_amount" numeric(18,2) not null, "min_rate" numeric(9,4) not null, "max_rate" numeric(9,4) not null, "min_term_months" int not null, "max_term_months" int not null, "repayment_methods" jsonb not null, "min_grade" text check ("min_grade" in ('A', 'B', 'C', 'D')) null, "industry_codes" jsonb not null, "region_codes" jsonb not null, "sizes" jsonb not null, "min_years_established" int null, "guarantee_fund_eligible" boolean not null default false, "status" text check ("status" in ('DRAFT', 'PUBLISHED', 'OFFLINE')) not null default 'DRAFT', "published_at" timestamptz null, "updated_at" timestamptz not null default now(), constraint "loan_product_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "loan_product_status_min_rate_index" on "loan_product" ("status", "min_rate");`);
    this.addSql(
      `alter table "loan_product" add constraint "loan_product_institution_id_foreign" foreign key ("institution_id") references "financial_institution" ("id") on update cascade on delete cascade;`,
    );
    // The market lists published products newest first and per institution.
    this.addSql(
      `create index "loan_product_published_at_id_index" on "loan_product" ("published_at" desc, "id" desc) where "status" = 'PUBLISHED';`,
    );
    this.addSql(`create index "loan_product_institution_id_index" on "loan_product" ("institution_id");`);
    this.addSql(
      `alter table "loan_product" add constraint "loan_product_ranges_check" check (min_amount > 0 and min_amount <= max_amount and min_rate > 0 and min_rate <= max_rate and max_rate <= 24 and min_term_months >= 1 and min_term_months <= max_term_months);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "loan_product" cascade;`);
  }
}
