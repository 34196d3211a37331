import { ReferenceKind, type Collection, type EntityName, type Reference } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

/** A many-to-one as a plain row carries it: the id only, like an unloaded `Ref`. */
export interface PlainRef {
  readonly id: string;
}

type PlainValue<V> = V extends Reference<object> ? PlainRef : V;

/**
 * An entity's data as a read-only row: its scalar properties by name and each many-to-one as
 * `{ id }` — the shape resolvers already read from a managed entity (`demand.enterprise.id`).
 * No methods and no collections, so a resolver typed with it works on both.
 */
export type Plain<T> = {
  readonly [K in keyof T as T[K] extends ((...args: never[]) => unknown) | Collection<object> ? never : K]: PlainValue<
    T[K]
  >;
};

/**
 * Maps rows read with `select *` to plain objects shaped like the entity, for the hot read-only
 * lists (a bank's page of demands, their enterprises and offers). `em.map` would make each row a
 * managed entity: property accessors defined per entity, registration in the identity map and a
 * change-set snapshot. At 100 demands with their enterprises and offers that was about a third
 * of a W1 request's CPU and most of what 50 requests in flight hold in memory (bench/README.md).
 * A plain row is never flushed, so nothing read this way can be written back by accident.
 *
 * Columns become properties through MikroORM's own compiled result mapper (the one `em.map`
 * uses), then custom types (decimals, arrays, JSON) are converted as the hydrator would.
 */
export function plainRows<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  rows: readonly Record<string, unknown>[],
): Plain<T>[] {
  const meta = em.getMetadata().get(entity);
  const platform = em.getPlatform();
  const comparator = em.getComparator();
  const refs: string[] = [];
  const custom: { name: string; convert: (value: unknown) => unknown }[] = [];
  for (const prop of meta.props) {
    if (prop.persist === false) continue;
    if (prop.kind === ReferenceKind.MANY_TO_ONE || (prop.kind === ReferenceKind.ONE_TO_ONE && prop.owner)) {
      refs.push(prop.name);
    } else if (prop.kind === ReferenceKind.SCALAR && prop.customType) {
      const type = prop.customType;
      custom.push({ name: prop.name, convert: (value) => type.convertToJSValue(value, platform) });
    }
  }
  return rows.map((row) => {
    const data = comparator.mapResult<T>(meta.className, row as never) as Record<string, unknown>;
    for (const name of refs) {
      const id = data[name];
      data[name] = id == null ? null : { id: String(id) };
    }
    for (const { name, convert } of custom) {
      if (data[name] != null) data[name] = convert(data[name]);
    }
    return data as Plain<T>;
  });
}
