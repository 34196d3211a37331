import { Migration } from '@mikro-orm/migrations';

/**
 * Webhooks for bank systems (docs/webhooks.md): the banks' endpoints, the events (the outbox,
 * written in the transaction of the change that caused them) and one delivery row per event and
 * endpoint, which is also the queue the worker claims with FOR UPDATE SKIP LOCKED.
 *
 * No row-level security here: these tables hold none of the five secured tables' data (payloads
 * carry ids), the services scope every read to the bank's institution, and the worker reads
 * across banks by design. The serving role gets its grants from the default privileges of
 * migration RowLevelSecurity (tests/api/webhooks.test.ts checks).
 */
export class Migration20261129080000_Webhooks extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "webhook_endpoint" ("id" uuid not null, "created_at" timestamptz not null default now(), "institution_id" uuid not null, "url" text not null, "description" text null, "event_types" text[] not null, "status" text check ("status" in ('ACTIVE', 'PAUSED')) not null default 'ACTIVE', "secret" text not null, "updated_at" timestamptz not null, constraint "webhook_endpoint_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "webhook_endpoint_institution_id_index" on "webhook_endpoint" ("institution_id");`);
    this.addSql(
      `create table "webhook_event" ("id" uuid not null, "created_at" timestamptz not null default now(), "type" text check ("type" in ('DEMAND_PUBLISHED', 'OFFER_ACCEPTED', 'OFFER_REJECTED', 'LOAN_UPDATED', 'DISPATCH_ASSIGNED', 'AUTHORIZATION_GRANTED', 'AUTHORIZATION_REVOKED', 'PING')) not null, "payload" jsonb not null, constraint "webhook_event_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create table "webhook_delivery" ("id" uuid not null, "created_at" timestamptz not null default now(), "endpoint_id" uuid not null, "event_id" uuid not null, "status" text check ("status" in ('PENDING', 'DELIVERED', 'FAILED')) not null default 'PENDING', "attempts" int not null default 0, "next_attempt_at" timestamptz null, "expires_at" timestamptz not null, "last_attempt_at" timestamptz null, "last_response_code" int null, "last_error" text null, "last_latency_ms" int null, "delivered_at" timestamptz null, constraint "webhook_delivery_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "webhook_delivery_endpoint_id_created_at_id_index" on "webhook_delivery" ("endpoint_id", "created_at", "id");`,
    );
    this.addSql(`create index "webhook_delivery_event_id_index" on "webhook_delivery" ("event_id");`);
    // The worker's claim and the expiry sweep read only the queue's PENDING rows, oldest due first.
    this.addSql(
      `create index "webhook_delivery_due_index" on "webhook_delivery" ("next_attempt_at") where "status" = 'PENDING';`,
    );
    this.addSql(
      `alter table "webhook_endpoint" add constraint "webhook_endpoint_institution_id_foreign" foreign key ("institution_id") references "financial_institution" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "webhook_delivery" add constraint "webhook_delivery_endpoint_id_foreign" foreign key ("endpoint_id") references "webhook_endpoint" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "webhook_delivery" add constraint "webhook_delivery_event_id_foreign" foreign key ("event_id") references "webhook_event" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "webhook_delivery" cascade;`);
    this.addSql(`drop table if exists "webhook_event" cascade;`);
    this.addSql(`drop table if exists "webhook_endpoint" cascade;`);
  }
}
