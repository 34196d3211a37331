import { Migration } from '@mikro-orm/migrations';

/** The policy supermarket: policies, fund claims and their history, articles. */
export class Migration20261128223431_Policies extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "policy" ("id" uuid not null, "created_at" timestamptz not null default now(), "department_id" uuid not null, "title" text not null, "summary" text not null, "body" text not null, "category" text check ("category" in ('SUBSIDY', 'INTEREST_SUBSIDY', 'RISK_COMPENSATION', 'GUARANTEE_FEE_SUBSIDY', 'TAX_RELIEF', 'TECH_INNOVATION', 'TALENT', 'OTHER')) not null, "min_grade" text check ("min_grade" in ('A', 'B', 'C', 'D')) null, "industry_codes" jsonb not null, "region_codes" jsonb not null, "sizes" jsonb not null, "min_years_established" int null, "no_penalty_months" int null, "max_amount_per_claim" numeric(18,2) not null, "budget" numeric(18,2) not null, "budget_committed" numeric(18,2) not null default '0.00', "apply_from" date not null, "apply_until" date not null, "status" text check ("status" in ('DRAFT', 'PUBLISHED', 'CLOSED')) not null default 'DRAFT', "published_at" timestamptz null, "updated_at" timestamptz not null default now(), constraint "policy_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "policy_department_id_status_index" on "policy" ("department_id", "status");`);
    this.addSql(
      `create table "fund_claim" ("id" uuid not null, "created_at" timestamptz not null default now(), "policy_id" uuid not null, "enterprise_id" uuid not null, "requested_amount" numeric(18,2) not null, "approved_amount" numeric(18,2) null, "statement" text not null, "status" text check ("status" in ('SUBMITTED', 'APPROVED', 'REJECTED', 'PUBLICIZED', 'DISBURSED', 'WITHDRAWN')) not null default 'SUBMITTED', "publicity_ends_at" timestamptz null, "disbursed_at" timestamptz null, "payment_reference" text null, "submitted_at" timestamptz not null, "updated_at" timestamptz not null default now(), constraint "fund_claim_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "fund_claim_enterprise_id_index" on "fund_claim" ("enterprise_id");`);
    this.addSql(`create index "fund_claim_policy_id_status_index" on "fund_claim" ("policy_id", "status");`);
    this.addSql(
      `create table "fund_claim_event" ("id" uuid not null, "created_at" timestamptz not null default now(), "claim_id" uuid not null, "status" text check ("status" in ('SUBMITTED', 'APPROVED', 'REJECTED', 'PUBLICIZED', 'DISBURSED', 'WITHDRAWN')) not null, "actor_id" uuid not null, "decision" text check ("decision" in ('APPROVE', 'REJECT')) null, "approved_amount" numeric(18,2) null, "comment" text null, "at" timestamptz not null, constraint "fund_claim_event_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "fund_claim_event_claim_id_at_index" on "fund_claim_event" ("claim_id", "at");`);
    this.addSql(
      `create table "article" ("id" uuid not null, "created_at" timestamptz not null default now(), "title" text not null, "body" text not null, "category" text check ("category" in ('RISK_ALERT', 'POLICY_NEWS', 'CASE_STUDY', 'NOTICE')) not null, "department_id" uuid null, "author_id" uuid null, "published_at" timestamptz not null, constraint "article_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "article_category_published_at_index" on "article" ("category", "published_at");`);
    this.addSql(
      `alter table "policy" add constraint "policy_department_id_foreign" foreign key ("department_id") references "department" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "fund_claim" add constraint "fund_claim_policy_id_foreign" foreign key ("policy_id") references "policy" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "fund_claim" add constraint "fund_claim_enterprise_id_foreign" foreign key ("enterprise_id") references "enterprise" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "fund_claim_event" add constraint "fund_claim_event_claim_id_foreign" foreign key ("claim_id") references "fund_claim" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "fund_claim_event" add constraint "fund_claim_event_actor_id_foreign" foreign key ("actor_id") references "app_user" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "article" add constraint "article_department_id_foreign" foreign key ("department_id") references "department" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "article" add constraint "article_author_id_foreign" foreign key ("author_id") references "app_user" ("id") on update cascade on delete set null;`,
    );

    // Money can never go wrong: the committed budget stays within the budget, whatever the code does.
    this.addSql(
      `alter table "policy" add constraint "policy_money_check" check (budget > 0 and max_amount_per_claim > 0 and max_amount_per_claim <= budget and budget_committed >= 0 and budget_committed <= budget and apply_from <= apply_until and (no_penalty_months is null or no_penalty_months >= 1) and (min_years_established is null or min_years_established >= 0));`,
    );
    this.addSql(
      `create index "policy_published_at_id_index" on "policy" ("published_at" desc, "id" desc) where "status" = 'PUBLISHED';`,
    );
    this.addSql(`create index "policy_created_at_id_index" on "policy" ("created_at" desc, "id" desc);`);
    this.addSql(
      `alter table "fund_claim" add constraint "fund_claim_money_check" check (requested_amount > 0 and (approved_amount is null or (approved_amount > 0 and approved_amount <= requested_amount)));`,
    );
    // One active claim per policy per enterprise.
    this.addSql(
      `create unique index "fund_claim_one_active" on "fund_claim" ("policy_id", "enterprise_id") where "status" not in ('REJECTED', 'WITHDRAWN');`,
    );
    this.addSql(`create index "fund_claim_submitted_at_id_index" on "fund_claim" ("submitted_at" desc, "id" desc);`);
    this.addSql(
      `create index "fund_claim_publicity_index" on "fund_claim" ("publicity_ends_at") where "status" = 'PUBLICIZED';`,
    );
    this.addSql(`create index "article_published_at_id_index" on "article" ("published_at" desc, "id" desc);`);
  }

  override async down(): Promise<void> {
    for (const table of ['fund_claim_event', 'fund_claim', 'policy', 'article']) {
      this.addSql(`drop table if exists "${table}" cascade;`);
    }
  }
}
