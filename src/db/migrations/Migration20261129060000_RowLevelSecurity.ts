import { Migration } from '@mikro-orm/migrations';

/**
 * Row-level security as a backstop under the services' own scopes (docs/row-level-security.md).
 *
 * The server's sessions run as `cel_app`: it owns nothing and cannot bypass row security, and
 * every request's transaction says who is asking (`app.viewer_role`, `app.enterprise_id`,
 * `app.institution_id`, `app.department_id`, `app.user_id`, set with set_config(…, true) by
 * src/db/row-security.ts). The five most sensitive tables FORCE row security, so even their owner
 * reads nothing without a viewer; the command-line tools and start-up work say `SYSTEM`.
 *
 * The policies are deliberately coarser than the services' rules (a bank that has ever been
 * authorised, not "authorised today by the injected clock"): they must never refuse what the
 * rules allow, only stop what no rule could allow, such as a query that forgot its scope.
 *
 * Every viewer function is wrapped in `(SELECT …)` in the policies so PostgreSQL evaluates it once
 * per statement (an InitPlan), not once per row.
 *
 * Roles belong to the cluster, not the database: the role may already exist (another database of
 * this cluster, a concurrent migration), so it is created if missing and never dropped.
 */
const ROLE = 'cel_app';

const VIEWER_FUNCTIONS = `
create function app_viewer_role() returns text language sql stable parallel safe as
  $$ select coalesce(current_setting('app.viewer_role', true), '') $$;
create function app_enterprise_id() returns uuid language sql stable parallel safe as
  $$ select nullif(current_setting('app.enterprise_id', true), '')::uuid $$;
create function app_institution_id() returns uuid language sql stable parallel safe as
  $$ select nullif(current_setting('app.institution_id', true), '')::uuid $$;
create function app_user_id() returns uuid language sql stable parallel safe as
  $$ select nullif(current_setting('app.user_id', true), '')::uuid $$;`;

const role = `(select app_viewer_role())`;
const own = (column: 'enterprise_id' | 'institution_id') =>
  `${column} = (select ${column === 'enterprise_id' ? 'app_enterprise_id' : 'app_institution_id'}())`;
const is = (...roles: string[]) => `${role} in (${roles.map((r) => `'${r}'`).join(', ')})`;
const enterpriseOwn = `(${is('ENTERPRISE')} and ${own('enterprise_id')})`;
const bankOwn = `(${is('BANK')} and ${own('institution_id')})`;

/**
 * A bank may see a report summary of an enterprise that authorised it (and has not revoked), that
 * has an open demand, or on whose demand it has bid: the services narrow each of these further.
 */
const bankMayReadReportOf = (enterprise: string) => `(${is('BANK')} and (
  exists (select 1 from credit_authorization a
           where a.enterprise_id = ${enterprise} and a.institution_id = (select app_institution_id()) and a.revoked_at is null)
  or exists (select 1 from financing_demand d where d.enterprise_id = ${enterprise} and d.status = 'OPEN')
  or exists (select 1 from financing_demand d join offer o on o.demand_id = d.id
              where d.enterprise_id = ${enterprise} and o.institution_id = (select app_institution_id()))))`;

/**
 * A bank with a FULL authorisation (not revoked) sees the borrower's whole record: its credit
 * records and every loan, whichever bank lent it, from which the risk level it is shown derives.
 */
const fullyAuthorised = (enterprise: string) => `(${is('BANK')} and exists (select 1 from credit_authorization a
  where a.enterprise_id = ${enterprise} and a.institution_id = (select app_institution_id())
    and a.scope = 'FULL' and a.revoked_at is null))`;

const ownUscc = `(${is('ENTERPRISE')} and uscc = (select e.uscc from enterprise e where e.id = (select app_enterprise_id())))`;

/** read: who may see a row; write: who may insert, update or delete one (and sees it too). */
const POLICIES: Record<string, { read: string; write: string }> = {
  credit_report: {
    read: `${is('SYSTEM', 'REGULATOR')} or ${enterpriseOwn} or ${bankMayReadReportOf('credit_report.enterprise_id')}`,
    write: is('SYSTEM', 'REGULATOR'),
  },
  credit_record: {
    read: `${is('SYSTEM', 'REGULATOR')} or ${ownUscc} or ${fullyAuthorised('(select e.id from enterprise e where e.uscc = credit_record.uscc)')}`,
    write: is('SYSTEM', 'REGULATOR'),
  },
  credit_authorization: {
    read: `${is('SYSTEM', 'REGULATOR')} or ${enterpriseOwn} or ${bankOwn}`,
    write: `${is('SYSTEM')} or ${enterpriseOwn}`,
  },
  report_access: {
    read: `${is('SYSTEM', 'REGULATOR')} or ${enterpriseOwn} or ${bankOwn}`,
    write: `${is('SYSTEM')} or ${bankOwn} or (${is('REGULATOR')} and user_id = (select app_user_id()))`,
  },
  loan: {
    read: `${is('SYSTEM', 'REGULATOR')} or ${enterpriseOwn} or ${bankOwn} or ${fullyAuthorised('loan.enterprise_id')}`,
    write: `${is('SYSTEM', 'REGULATOR')} or ${enterpriseOwn} or ${bankOwn}`,
  },
};

export const ROW_SECURED_TABLES = Object.keys(POLICIES);

export class Migration20261129060000_RowLevelSecurity extends Migration {
  override async up(): Promise<void> {
    this.addSql(`do $$ begin
  if not exists (select from pg_roles where rolname = '${ROLE}') then
    create role ${ROLE} nologin nosuperuser nocreatedb nocreaterole noinherit nobypassrls;
  end if;
exception when duplicate_object or unique_violation then null;
end $$;`);
    // A non-superuser owner must be a member to SET ROLE to it; a superuser may anyway.
    this.addSql(`do $$ begin
  if not (select rolsuper from pg_roles where rolname = current_user) then
    execute format('grant ${ROLE} to %I', current_user);
  end if;
end $$;`);
    this.addSql(`grant usage on schema public to ${ROLE};`);
    this.addSql(`grant select, insert, update, delete on all tables in schema public to ${ROLE};`);
    this.addSql(`grant usage, select on all sequences in schema public to ${ROLE};`);
    // Tables that later migrations create are the server's to use as well.
    this.addSql(`alter default privileges in schema public grant select, insert, update, delete on tables to ${ROLE};`);
    this.addSql(`alter default privileges in schema public grant usage, select on sequences to ${ROLE};`);
    // The server reads which migrations ran; only the migration runner changes that.
    this.addSql(`revoke insert, update, delete on mikro_orm_migrations from ${ROLE};`);
    this.addSql(VIEWER_FUNCTIONS);
    for (const [table, { read, write }] of Object.entries(POLICIES)) {
      this.addSql(`alter table "${table}" enable row level security;`);
      this.addSql(`alter table "${table}" force row level security;`);
      this.addSql(`create policy ${table}_read on "${table}" for select using (${read});`);
      this.addSql(`create policy ${table}_write on "${table}" for all using (${write}) with check (${write});`);
    }
    // An enterprise changing region moves all its loans in the statistics: the trigger must see
    // every one of them, whoever made the change.
    this.addSql(
      `alter function statistics_enterprise_update() security definer set search_path = public, pg_temp set app.viewer_role = 'SYSTEM';`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter function statistics_enterprise_update() security invoker reset all;`);
    for (const table of ROW_SECURED_TABLES) {
      this.addSql(`drop policy if exists ${table}_read on "${table}";`);
      this.addSql(`drop policy if exists ${table}_write on "${table}";`);
      this.addSql(`alter table "${table}" no force row level security;`);
      this.addSql(`alter table "${table}" disable row level security;`);
    }
    for (const fn of ['app_viewer_role', 'app_enterprise_id', 'app_institution_id', 'app_user_id']) {
      this.addSql(`drop function if exists ${fn}();`);
    }
    this.addSql(`alter default privileges in schema public revoke all on tables from ${ROLE};`);
    this.addSql(`alter default privileges in schema public revoke all on sequences from ${ROLE};`);
    this.addSql(`revoke all on all tables in schema public from ${ROLE};`);
    this.addSql(`revoke all on all sequences in schema public from ${ROLE};`);
    this.addSql(`revoke usage on schema public from ${ROLE};`);
  }
}
