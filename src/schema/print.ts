import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';

const HEADER = '# Emitted by `npm run schema:emit` from the type-graphql resolvers. Do not edit by hand.\n\n';

/** Sorted, so the committed file changes only when the schema does. */
export function printAppSchema(schema: GraphQLSchema): string {
  return `${HEADER}${printSchema(lexicographicSortSchema(schema))}\n`;
}
