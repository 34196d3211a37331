import { Field, Int, ObjectType, type ClassType } from 'type-graphql';
import type { Page } from '../services/pagination';

@ObjectType('PageInfo')
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field()
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export interface ConnectionShape<T> {
  edges: { node: T; cursor: string }[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: PromiseLike<number>;
}

/** Relay connection and edge types for a node type, named `<Name>Connection` / `<Name>Edge`. */
export function Connection<T extends object>(node: ClassType<T>, name: string) {
  // Described here once, so every connection a new list adds carries descriptions (docs/CHANGELOG.md).
  @ObjectType(`${name}Edge`, { description: `One ${name} of a page, with its cursor.` })
  class Edge {
    @Field({ description: 'Opaque; pass it as `after` to continue after this item.' })
    cursor!: string;

    @Field(() => node, { description: `The ${name}.` })
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} items; read on with \`first\` and \`after\`.` })
  class ConnectionType implements ConnectionShape<T> {
    @Field(() => [Edge], { description: 'The items of this page with their cursors.' })
    edges!: Edge[];

    @Field(() => [node], { description: 'The items of this page, for clients that need no cursors.' })
    nodes!: T[];

    @Field(() => PageInfo, { description: 'Whether more pages follow, and the cursors to read them.' })
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'How many items match, across all pages.' })
    totalCount!: PromiseLike<number>;
  }

  return ConnectionType;
}

export function toConnection<T>(page: Page<T>): ConnectionShape<T> {
  const { edges } = page;
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: page.totalCount,
  };
}
