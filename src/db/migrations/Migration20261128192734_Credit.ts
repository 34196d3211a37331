import { Migration } from '@mikro-orm/migrations';

export class Migration20261128192734_Credit extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "credit_authorization" ("id" uuid not null, "created_at" timestamptz not null default now(), "enterprise_id" uuid not null, "institution_id" uuid not null, "scope" text check ("scope" in ('SUMMARY', 'FULL')) not null, "purpose" text not null, "demand_id" uuid null, "granted_at" timestamptz not null, "expires_at" timestamptz not null, "revoked_at" timestamptz null, constraint "credit_authorization_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "credit_authorization_institution_id_index" on "credit_authorization" ("institution_id");`,
    );
    this.addSql(
      `create index "credit_authorization_enterprise_id_institution_id_index" on "credit_authorization" ("enterprise_id", "institution_id");`,
    );

    this.addSql(
      `create table "credit_commitment" ("id" uuid not null, "created_at" timestamptz not null default now(), "enterprise_id" uuid not null, "title" text not null, "content" text not null, "status" text check ("status" in ('SIGNED', 'REVOKED')) not null, "signed_at" timestamptz not null, "revoked_at" timestamptz null, constraint "credit_commitment_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "credit_commitment_enterprise_id_index" on "credit_commitment" ("enterprise_id");`);

    this.addSql(
      `create table "credit_model" ("id" uuid not null, "created_at" timestamptz not null default now(), "version" text not null, "status" text check ("status" in ('DRAFT', 'ACTIVE', 'RETIRED')) not null, "weights" jsonb not null, "grade_bands" jsonb not null, "activated_at" timestamptz null, constraint "credit_model_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "credit_model" add constraint "credit_model_version_unique" unique ("version");`);

    this.addSql(
      `create table "credit_record" ("id" uuid not null, "uscc" text not null, "source" text check ("source" in ('REGISTRY', 'TAX', 'SOCIAL_SECURITY', 'HOUSING_FUND', 'UTILITY', 'LICENSE', 'PENALTY', 'JUDGMENT', 'CUSTOMS', 'INTELLECTUAL_PROPERTY', 'LOAN_HISTORY', 'SELF_DECLARED')) not null, "kind" text not null, "external_id" text not null, "period" text null, "amount" numeric(18,2) null, "description" text null, "occurred_on" date not null, "subject_name" text null, "legal_representative" text null, "recorded_at" timestamptz not null default now(), constraint "credit_record_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "credit_record" add constraint "credit_record_source_external_id_unique" unique ("source", "external_id");`,
    );

    this.addSql(
      `create table "credit_report" ("id" uuid not null, "enterprise_id" uuid not null, "model_id" uuid not null, "model_version" text not null, "score" int not null, "grade" text check ("grade" in ('A', 'B', 'C', 'D')) not null, "indicators" jsonb not null, "reason_codes" jsonb not null, "data_as_of" timestamptz not null, "generated_at" timestamptz not null, constraint "credit_report_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "credit_report_enterprise_id_generated_at_index" on "credit_report" ("enterprise_id", "generated_at");`,
    );

    this.addSql(
      `create table "report_access" ("id" uuid not null, "enterprise_id" uuid not null, "report_id" uuid not null, "institution_id" uuid null, "user_id" uuid null, "authorization_id" uuid null, "scope" text check ("scope" in ('SUMMARY', 'FULL')) not null, "purpose" text not null, "accessed_at" timestamptz not null, constraint "report_access_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "report_access_enterprise_id_accessed_at_index" on "report_access" ("enterprise_id", "accessed_at");`,
    );

    this.addSql(
      `create table "risk_warning" ("id" uuid not null, "enterprise_id" uuid not null, "level" text check ("level" in ('GREEN', 'YELLOW', 'RED')) not null, "signals" jsonb not null, "raised_at" timestamptz not null, constraint "risk_warning_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "risk_warning_raised_at_index" on "risk_warning" ("raised_at");`);
    this.addSql(
      `create index "risk_warning_enterprise_id_raised_at_index" on "risk_warning" ("enterprise_id", "raised_at");`,
    );

    this.addSql(
      `alter table "enterprise" add column "credit_grade" text check ("credit_grade" in ('A', 'B', 'C', 'D')) null, add column "credit_score" int null, add column "latest_report_id" uuid null, add column "risk_level" text check ("risk_level" in ('GREEN', 'YELLOW', 'RED')) null, add column "risk_signals" jsonb null;`,
    );

    // Relations the entities keep as plain ids (bulk-written rows), held by the database.
    this.addSql(
      `alter table "credit_report" add constraint "credit_report_enterprise_id_foreign" foreign key ("enterprise_id") references "enterprise" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "credit_report" add constraint "credit_report_model_id_foreign" foreign key ("model_id") references "credit_model" ("id");`,
    );
    this.addSql(
      `alter table "credit_authorization" add constraint "credit_authorization_enterprise_id_foreign" foreign key ("enterprise_id") references "enterprise" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "credit_authorization" add constraint "credit_authorization_institution_id_foreign" foreign key ("institution_id") references "financial_institution" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "report_access" add constraint "report_access_enterprise_id_foreign" foreign key ("enterprise_id") references "enterprise" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "report_access" add constraint "report_access_report_id_foreign" foreign key ("report_id") references "credit_report" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "credit_commitment" add constraint "credit_commitment_enterprise_id_foreign" foreign key ("enterprise_id") references "enterprise" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "risk_warning" add constraint "risk_warning_enterprise_id_foreign" foreign key ("enterprise_id") references "enterprise" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "enterprise" add constraint "enterprise_latest_report_id_foreign" foreign key ("latest_report_id") references "credit_report" ("id") on delete set null;`,
    );
    // One active model at a time, whatever races the activations run.
    this.addSql(
      `create unique index "credit_model_one_active" on "credit_model" ("status") where "status" = 'ACTIVE';`,
    );
    // Newest-first lists and their keyset cursors.
    this.addSql(
      `create index "credit_record_uscc_occurred_on_id_index" on "credit_record" ("uscc", "occurred_on" desc, "id" desc);`,
    );
    this.addSql(
      `create index "credit_commitment_signed_at_id_index" on "credit_commitment" ("signed_at" desc, "id" desc) where "status" = 'SIGNED';`,
    );
    this.addSql(`create index "enterprise_credit_grade_index" on "enterprise" ("credit_grade");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "enterprise" drop constraint if exists "enterprise_latest_report_id_foreign";`);

    this.addSql(`drop table if exists "credit_authorization" cascade;`);

    this.addSql(`drop table if exists "credit_commitment" cascade;`);

    this.addSql(`drop table if exists "credit_model" cascade;`);

    this.addSql(`drop table if exists "credit_record" cascade;`);

    this.addSql(`drop table if exists "credit_report" cascade;`);

    this.addSql(`drop table if exists "report_access" cascade;`);

    this.addSql(`drop table if exists "risk_warning" cascade;`);

    this.addSql(
      `alter table "enterprise" drop column "credit_grade", drop column "credit_score", drop column "latest_report_id", drop column "risk_level", drop column "risk_signals";`,
    );
  }
}
