import { Migration } from '@mikro-orm/migrations';

/** The marketplace: offers, loans and their events, guarantee funds, whitelists and dispatches. */
export class Migration20261128214234_Marketplace extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "guarantee_fund" ("id" uuid not null, "created_at" timestamptz not null default now(), "department_id" uuid not null, "name" text not null, "capital" numeric(18,2) not null, "rules" jsonb not null, constraint "guarantee_fund_pkey" primary key ("id"));`,
    );

    this.addSql(
      `create table "offer" ("id" uuid not null, "created_at" timestamptz not null default now(), "demand_id" uuid not null, "institution_id" uuid not null, "product_id" uuid not null, "amount" numeric(18,2) not null, "rate" numeric(9,4) not null, "term_months" int not null, "repayment_method" text not null, "conditions" text null, "status" text check ("status" in ('PENDING', 'ACCEPTED', 'REJECTED', 'WITHDRAWN', 'EXPIRED')) not null default 'PENDING', "valid_until" timestamptz not null, "updated_at" timestamptz not null default now(), constraint "offer_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "offer_institution_id_index" on "offer" ("institution_id");`);

    this.addSql(
      `create table "loan" ("id" uuid not null, "created_at" timestamptz not null default now(), "enterprise_id" uuid not null, "institution_id" uuid not null, "product_id" uuid not null, "demand_id" uuid null, "offer_id" uuid null, "status" text check ("status" in ('PENDING', 'GRANTED', 'ACTIVE', 'OVERDUE', 'DEFAULTED', 'SETTLED', 'DECLINED')) not null default 'PENDING', "credit_amount" numeric(18,2) null, "disbursed_amount" numeric(18,2) not null default '0.00', "outstanding_principal" numeric(18,2) not null default '0.00', "rate" numeric(9,4) not null, "term_months" int not null, "repayment_method" text not null, "granted_on" date null, "disbursed_on" date null, "maturity_date" date null, "days_overdue" int not null default 0, "guarantee_fund_id" uuid null, "fund_share_percent" int null, "covered_amount" numeric(18,2) null, "compensated_amount" numeric(18,2) null, "updated_at" timestamptz not null default now(), constraint "loan_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "loan" add constraint "loan_demand_id_unique" unique ("demand_id");`);
    this.addSql(`alter table "loan" add constraint "loan_offer_id_unique" unique ("offer_id");`);
    this.addSql(`create index "loan_enterprise_id_status_index" on "loan" ("enterprise_id", "status");`);
    this.addSql(`create index "loan_institution_id_status_index" on "loan" ("institution_id", "status");`);

    this.addSql(
      `create table "loan_event" ("id" uuid not null, "created_at" timestamptz not null default now(), "loan_id" uuid not null, "type" text check ("type" in ('GRANTED', 'DISBURSED', 'REPAID', 'OVERDUE', 'DEFAULTED', 'SETTLED', 'DECLINED', 'COMPENSATED')) not null, "amount" numeric(18,2) null, "principal" numeric(18,2) null, "interest" numeric(18,2) null, "occurred_on" date not null, "note" text null, constraint "loan_event_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "loan_event_loan_id_created_at_index" on "loan_event" ("loan_id", "created_at");`);

    this.addSql(
      `create table "whitelist" ("id" uuid not null, "created_at" timestamptz not null default now(), "department_id" uuid not null, "name" text not null, "description" text null, "entry_count" int not null default 0, constraint "whitelist_pkey" primary key ("id"));`,
    );

    this.addSql(
      `create table "whitelist_entry" ("id" uuid not null, "created_at" timestamptz not null default now(), "whitelist_id" uuid not null, "position" int not null, "uscc" text not null, "name" text not null, "note" text null, constraint "whitelist_entry_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "whitelist_entry_uscc_index" on "whitelist_entry" ("uscc");`);
    this.addSql(
      `alter table "whitelist_entry" add constraint "whitelist_entry_whitelist_id_uscc_unique" unique ("whitelist_id", "uscc");`,
    );

    this.addSql(
      `create table "dispatch" ("id" uuid not null, "created_at" timestamptz not null default now(), "entry_id" uuid not null, "institution_id" uuid not null, "product_id" uuid null, "status" text check ("status" in ('PENDING', 'ACCEPTED', 'DECLINED', 'GRANTED')) not null default 'PENDING', "reason" text not null, "assigned_at" timestamptz not null, "responded_at" timestamptz null, "note" text null, constraint "dispatch_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "dispatch_entry_id_index" on "dispatch" ("entry_id");`);
    this.addSql(`create index "dispatch_institution_id_status_index" on "dispatch" ("institution_id", "status");`);

    this.addSql(
      `alter table "guarantee_fund" add constraint "guarantee_fund_department_id_foreign" foreign key ("department_id") references "department" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "offer" add constraint "offer_demand_id_foreign" foreign key ("demand_id") references "financing_demand" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "offer" add constraint "offer_institution_id_foreign" foreign key ("institution_id") references "financial_institution" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "offer" add constraint "offer_product_id_foreign" foreign key ("product_id") references "loan_product" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "loan" add constraint "loan_enterprise_id_foreign" foreign key ("enterprise_id") references "enterprise" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "loan" add constraint "loan_institution_id_foreign" foreign key ("institution_id") references "financial_institution" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "loan" add constraint "loan_product_id_foreign" foreign key ("product_id") references "loan_product" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "loan" add constraint "loan_demand_id_foreign" foreign key ("demand_id") references "financing_demand" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "loan" add constraint "loan_offer_id_foreign" foreign key ("offer_id") references "offer" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "loan" add constraint "loan_guarantee_fund_id_foreign" foreign key ("guarantee_fund_id") references "guarantee_fund" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "loan_event" add constraint "loan_event_loan_id_foreign" foreign key ("loan_id") references "loan" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "whitelist" add constraint "whitelist_department_id_foreign" foreign key ("department_id") references "department" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "whitelist_entry" add constraint "whitelist_entry_whitelist_id_foreign" foreign key ("whitelist_id") references "whitelist" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "dispatch" add constraint "dispatch_entry_id_foreign" foreign key ("entry_id") references "whitelist_entry" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "dispatch" add constraint "dispatch_institution_id_foreign" foreign key ("institution_id") references "financial_institution" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "dispatch" add constraint "dispatch_product_id_foreign" foreign key ("product_id") references "loan_product" ("id") on update cascade on delete set null;`,
    );

    // One PENDING offer per bank per demand, and one accepted offer per demand: the database settles races.
    this.addSql(
      `create unique index "offer_one_pending_per_bank" on "offer" ("demand_id", "institution_id") where "status" = 'PENDING';`,
    );
    this.addSql(
      `create unique index "offer_one_accepted_per_demand" on "offer" ("demand_id") where "status" = 'ACCEPTED';`,
    );
    this.addSql(
      `create index "offer_demand_id_created_at_index" on "offer" ("demand_id", "created_at" desc, "id" desc);`,
    );
    this.addSql(`create index "offer_created_at_id_index" on "offer" ("created_at" desc, "id" desc);`);
    this.addSql(
      `alter table "offer" add constraint "offer_terms_check" check (amount > 0 and rate > 0 and rate <= 24 and term_months >= 1);`,
    );
    // Money can never go wrong, whatever the code does.
    this.addSql(
      `alter table "loan" add constraint "loan_money_check" check (rate > 0 and rate <= 24 and term_months >= 1 and disbursed_amount >= 0 and (credit_amount is null or (credit_amount > 0 and disbursed_amount <= credit_amount)) and outstanding_principal >= 0 and outstanding_principal <= disbursed_amount and days_overdue >= 0 and (compensated_amount is null or compensated_amount >= 0));`,
    );
    this.addSql(`create index "loan_created_at_id_index" on "loan" ("created_at" desc, "id" desc);`);
    this.addSql(
      `create index "loan_guarantee_fund_id_index" on "loan" ("guarantee_fund_id") where "guarantee_fund_id" is not null;`,
    );
    this.addSql(`alter table "guarantee_fund" add constraint "guarantee_fund_capital_check" check (capital > 0);`);
    this.addSql(
      `create index "whitelist_entry_whitelist_id_position_index" on "whitelist_entry" ("whitelist_id", "position");`,
    );
    this.addSql(`create index "dispatch_assigned_at_id_index" on "dispatch" ("assigned_at" desc, "id" desc);`);
    // An entry is with at most one bank at a time (a declined dispatch frees it).
    this.addSql(
      `create unique index "dispatch_one_live_per_entry" on "dispatch" ("entry_id") where "status" <> 'DECLINED';`,
    );
  }

  override async down(): Promise<void> {
    for (const table of ['dispatch', 'whitelist_entry', 'whitelist', 'loan_event', 'loan', 'offer', 'guarantee_fund']) {
      this.addSql(`drop table if exists "${table}" cascade;`);
    }
  }
}
