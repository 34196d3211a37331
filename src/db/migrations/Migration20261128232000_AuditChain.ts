import { Migration } from '@mikro-orm/migrations';

/**
 * The audit trail becomes append-only and tamper-evident in the database itself (docs/audit.md):
 * - UPDATE, DELETE and TRUNCATE on audit_event raise an exception;
 * - each row gets a gapless `seq`, the previous row's hash and its own hash
 *   (SHA-256 of its canonical content and the previous hash), set at COMMIT by a deferred
 *   constraint trigger under a transaction-scoped advisory lock, so every writer (the app, the
 *   bulk import, psql) is chained and the lock is held only while the transaction commits.
 */
export class Migration20261128232000_AuditChain extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "audit_event" add column "seq" bigint null, add column "prev_hash" text null, add column "hash" text null;`,
    );

    // The one definition of a row's canonical text and hash; audit:verify recomputes with it.
    this.addSql(`create or replace function audit_event_hash(
  p_seq bigint, p_id uuid, p_actor_id uuid, p_actor_role text, p_action text, p_target_type text,
  p_target_id text, p_at timestamptz, p_request_id text, p_detail jsonb, p_prev_hash text
) returns text language sql stable parallel safe as $$
  select encode(sha256(convert_to(jsonb_build_array(
    p_seq::text, p_id::text, p_actor_id::text, p_actor_role, p_action, p_target_type, p_target_id,
    to_char(p_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), p_request_id, p_detail, p_prev_hash
  )::text, 'UTF8')), 'hex')
$$;`);

    // Existing rows, oldest first, become the start of the chain.
    this.addSql(`do $$
declare
  r record;
  n bigint := 0;
  prev text := null;
  h text;
begin
  for r in select * from audit_event order by at, id loop
    n := n + 1;
    h := audit_event_hash(n, r.id, r.actor_id, r.actor_role, r.action, r.target_type, r.target_id, r.at,
                          r.request_id, r.detail, prev);
    update audit_event set seq = n, prev_hash = prev, hash = h where id = r.id;
    prev := h;
  end loop;
end $$;`);
    this.addSql(`create unique index "audit_event_seq_unique" on "audit_event" ("seq");`);

    // A new row's chain columns are the database's to set, never the writer's.
    this.addSql(`create or replace function audit_event_before_insert() returns trigger language plpgsql as $$
begin
  new.seq := null;
  new.prev_hash := null;
  new.hash := null;
  return new;
end $$;`);
    this.addSql(
      `create trigger audit_event_before_insert before insert on "audit_event" for each row execute function audit_event_before_insert();`,
    );

    // At COMMIT, in insertion order: append to the chain under one lock for all writers.
    this.addSql(`create or replace function audit_event_chain() returns trigger language plpgsql as $$
declare
  last_seq bigint;
  last_hash text;
  r audit_event%rowtype;
begin
  perform pg_advisory_xact_lock(7422511653911400001);
  select seq, hash into last_seq, last_hash from audit_event where seq is not null order by seq desc limit 1;
  select * into r from audit_event where id = new.id;
  if not found or r.seq is not null then
    return null;
  end if;
  last_seq := coalesce(last_seq, 0) + 1;
  update audit_event
     set seq = last_seq,
         prev_hash = last_hash,
         hash = audit_event_hash(last_seq, r.id, r.actor_id, r.actor_role, r.action, r.target_type, r.target_id,
                                 r.at, r.request_id, r.detail, last_hash)
   where id = new.id;
  return null;
end $$;`);
    this.addSql(
      `create constraint trigger audit_event_chain after insert on "audit_event" deferrable initially deferred for each row execute function audit_event_chain();`,
    );

    // Append-only: the only UPDATE allowed is the chain trigger filling in a fresh row's chain columns.
    this.addSql(`create or replace function audit_event_append_only() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' and pg_trigger_depth() > 1 and old.hash is null and old.seq is null
     and (new.id, new.actor_id, new.actor_role, new.action, new.target_type, new.target_id, new.at,
          new.request_id, new.detail)
         is not distinct from
         (old.id, old.actor_id, old.actor_role, old.action, old.target_type, old.target_id, old.at,
          old.request_id, old.detail) then
    return new;
  end if;
  raise exception 'audit_event is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
end $$;`);
    this.addSql(
      `create trigger audit_event_append_only before update or delete on "audit_event" for each row execute function audit_event_append_only();`,
    );
    this.addSql(
      `create trigger audit_event_no_truncate before truncate on "audit_event" for each statement execute function audit_event_append_only();`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists audit_event_no_truncate on "audit_event";`);
    this.addSql(`drop trigger if exists audit_event_append_only on "audit_event";`);
    this.addSql(`drop trigger if exists audit_event_chain on "audit_event";`);
    this.addSql(`drop trigger if exists audit_event_before_insert on "audit_event";`);
    this.addSql(`drop function if exists audit_event_append_only();`);
    this.addSql(`drop function if exists audit_event_chain();`);
    this.addSql(`drop function if exists audit_event_before_insert();`);
    this.addSql(`drop index if exists "audit_event_seq_unique";`);
    this.addSql(
      `alter table "audit_event" drop column if exists "seq", drop column if exists "prev_hash", drop column if exists "hash";`,
    );
    this.addSql(
      `drop function if exists audit_event_hash(bigint, uuid, uuid, text, text, text, text, timestamptz, text, jsonb, text);`,
    );
  }
}
