import { Migration } from '@mikro-orm/migrations';

/**
 * Idempotency-Key claims and stored responses (docs/idempotency.md), one row per signed-in user
 * and key. `owner` is the attempt that holds the claim: the mutation's transaction marks the row
 * COMMITTED only while its attempt still owns it, which is what keeps a committed effect from
 * running twice. `response` is `json`, not `jsonb`: jsonb reorders object keys, and a replay
 * must send the fields in the order the original response had them.
 *
 * No entity maps this table (the server reads and writes it in plain SQL): a generated
 * migration diff proposes to drop it, delete those lines as for the statistics tables.
 */
export class Migration20261129020000_Idempotency extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "idempotency_key" (
  "user_id" uuid not null references "app_user" ("id") on delete cascade,
  "key" varchar(255) not null,
  "fingerprint" char(64) not null,
  "operation_name" text null,
  "status" text not null check ("status" in ('IN_PROGRESS', 'COMMITTED', 'COMPLETED')),
  "owner" uuid not null,
  "lease_until" timestamptz not null,
  "expires_at" timestamptz not null,
  "created_at" timestamptz not null,
  "completed_at" timestamptz null,
  "http_status" smallint null,
  "response" json null,
  constraint "idempotency_key_pkey" primary key ("user_id", "key"),
  constraint "idempotency_key_response_check" check (("status" = 'COMPLETED') = ("response" is not null))
);`);
    // Claiming a key purges a few of the same user's expired rows (no background job needed).
    this.addSql(
      `create index "idempotency_key_user_id_expires_at_index" on "idempotency_key" ("user_id", "expires_at");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "idempotency_key";`);
  }
}
