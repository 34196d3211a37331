import { Migration } from '@mikro-orm/migrations';

export class Migration20261128185605_Initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "audit_event" ("id" uuid not null, "actor_id" uuid null, "actor_role" text check ("actor_role" in ('ENTERPRISE', 'BANK', 'REGULATOR', 'ADMIN')) null, "action" text not null, "target_type" text not null, "target_id" text null, "at" timestamptz not null default now(), "request_id" text null, "detail" jsonb null, constraint "audit_event_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "audit_event_target_type_target_id_index" on "audit_event" ("target_type", "target_id");`,
    );
    this.addSql(`create index "audit_event_actor_id_index" on "audit_event" ("actor_id");`);
    this.addSql(`create index "audit_event_at_index" on "audit_event" ("at");`);

    this.addSql(
      `create table "department" ("id" uuid not null, "created_at" timestamptz not null default now(), "name" text not null, "region_code" text not null, constraint "department_pkey" primary key ("id"));`,
    );

    this.addSql(
      `create table "enterprise" ("id" uuid not null, "created_at" timestamptz not null default now(), "uscc" text not null, "name" text not null, "legal_representative" text not null, "industry_code" text not null, "region_code" text not null, "size" text check ("size" in ('MICRO', 'SMALL', 'MEDIUM', 'LARGE')) not null, "established_on" date not null, "registered_capital" numeric(18,2) null, "employees" int null, "annual_revenue" numeric(18,2) null, "verification_status" text check ("verification_status" in ('PENDING', 'VERIFIED', 'REJECTED')) not null default 'PENDING', "updated_at" timestamptz not null default now(), constraint "enterprise_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "enterprise" add constraint "enterprise_uscc_unique" unique ("uscc");`);
    this.addSql(`create index "enterprise_industry_code_index" on "enterprise" ("industry_code");`);
    this.addSql(`create index "enterprise_region_code_index" on "enterprise" ("region_code");`);

    this.addSql(
      `create table "financial_institution" ("id" uuid not null, "created_at" timestamptz not null default now(), "name" text not null, "type" text check ("type" in ('STATE_OWNED_BANK', 'JOINT_STOCK_BANK', 'CITY_COMMERCIAL_BANK', 'RURAL_BANK', 'POLICY_BANK', 'GUARANTEE_COMPANY', 'OTHER')) not null, "region_code" text not null, constraint "financial_institution_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "financial_institution" add constraint "financial_institution_name_unique" unique ("name");`,
    );

    this.addSql(
      `create table "app_user" ("id" uuid not null, "created_at" timestamptz not null default now(), "login" text not null, "password_hash" text not null, "display_name" text not null, "role" text check ("role" in ('ENTERPRISE', 'BANK', 'REGULATOR', 'ADMIN')) not null, "enterprise_id" uuid null, "institution_id" uuid null, "department_id" uuid null, constraint "app_user_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "app_user" add constraint "app_user_login_unique" unique ("login");`);
    this.addSql(`create index "app_user_institution_id_index" on "app_user" ("institution_id");`);
    this.addSql(`create index "app_user_enterprise_id_index" on "app_user" ("enterprise_id");`);

    this.addSql(
      `create table "refresh_token" ("id" uuid not null, "created_at" timestamptz not null default now(), "user_id" uuid not null, "family" uuid not null, "token_hash" text not null, "expires_at" timestamptz not null, "rotated_at" timestamptz null, "revoked_at" timestamptz null, constraint "refresh_token_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "refresh_token" add constraint "refresh_token_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create index "refresh_token_family_index" on "refresh_token" ("family");`);

    this.addSql(
      `create table "api_key" ("id" uuid not null, "created_at" timestamptz not null default now(), "user_id" uuid not null, "institution_id" uuid not null, "name" text not null, "prefix" text not null, "key_hash" text not null, "last_used_at" timestamptz null, "revoked_at" timestamptz null, constraint "api_key_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "api_key" add constraint "api_key_key_hash_unique" unique ("key_hash");`);
    this.addSql(`create index "api_key_user_id_index" on "api_key" ("user_id");`);

    this.addSql(
      `alter table "app_user" add constraint "app_user_enterprise_id_foreign" foreign key ("enterprise_id") references "enterprise" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "app_user" add constraint "app_user_institution_id_foreign" foreign key ("institution_id") references "financial_institution" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "app_user" add constraint "app_user_department_id_foreign" foreign key ("department_id") references "department" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "refresh_token" add constraint "refresh_token_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "api_key" add constraint "api_key_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "api_key" add constraint "api_key_institution_id_foreign" foreign key ("institution_id") references "financial_institution" ("id") on update cascade on delete cascade;`,
    );

    // The organisation must match the role; the application checks it too, the database is the backstop.
    this.addSql(`alter table "app_user" add constraint "app_user_role_organisation_check" check (
      (role = 'ENTERPRISE' and enterprise_id is not null and institution_id is null and department_id is null) or
      (role = 'BANK' and institution_id is not null and enterprise_id is null and department_id is null) or
      (role = 'REGULATOR' and department_id is not null and enterprise_id is null and institution_id is null) or
      (role = 'ADMIN' and enterprise_id is null and institution_id is null and department_id is null));`);
    // Keyset pagination walks (created_at, id); newest first.
    this.addSql(`create index "enterprise_created_at_id_index" on "enterprise" ("created_at" desc, "id" desc);`);
    this.addSql(
      `create index "financial_institution_created_at_id_index" on "financial_institution" ("created_at" desc, "id" desc);`,
    );
    this.addSql(`create index "audit_event_at_id_index" on "audit_event" ("at" desc, "id" desc);`);
    // Failed-login counters of rate-limiter-flexible (its own layout), shared by every instance.
    this.addSql(
      `create table "rate_limit" ("key" varchar(255) primary key, "points" integer not null default 0, "expire" bigint);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "rate_limit";`);
    this.addSql(`alter table "app_user" drop constraint "app_user_department_id_foreign";`);

    this.addSql(`alter table "app_user" drop constraint "app_user_enterprise_id_foreign";`);

    this.addSql(`alter table "app_user" drop constraint "app_user_institution_id_foreign";`);

    this.addSql(`alter table "api_key" drop constraint "api_key_institution_id_foreign";`);

    this.addSql(`alter table "refresh_token" drop constraint "refresh_token_user_id_foreign";`);

    this.addSql(`alter table "api_key" drop constraint "api_key_user_id_foreign";`);

    this.addSql(`drop table if exists "audit_event" cascade;`);

    this.addSql(`drop table if exists "department" cascade;`);

    this.addSql(`drop table if exists "enterprise" cascade;`);

    this.addSql(`drop table if exists "financial_institution" cascade;`);

    this.addSql(`drop table if exists "app_user" cascade;`);

    this.addSql(`drop table if exists "refresh_token" cascade;`);

    this.addSql(`drop table if exists "api_key" cascade;`);
  }
}
