/** A GraphQL response as the workloads check it. */
export interface GraphQLBody {
  data?: Record<string, any> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** Who sends a workload: a signed-in user of the bench dataset, or nobody. */
export type Principal = 'bank' | 'enterprise' | 'regulator' | null;

export interface WorkloadCase {
  /** Shown in the table, e.g. "W4 region 440300". */
  label: string;
  variables: Record<string, unknown>;
}

/**
 * One benchmark workload: a GraphQL document with its variables, sent by `principal`, and a
 * check of the response (the problems found; empty when it is right).
 */
export interface Workload {
  id: 'W1' | 'W2' | 'W3' | 'W4';
  title: string;
  principal: Principal;
  operationName: string;
  document: string;
  cases: WorkloadCase[];
  /** What the floor is: an HTTP server answering from one SQL statement, PostgreSQL alone, or none. */
  floor: 'http' | 'sql' | null;
  check(body: GraphQLBody, variables: Record<string, unknown>): string[];
}

/** Problems common to every workload: GraphQL errors or no data. */
export function basicProblems(body: GraphQLBody, field: string): string[] {
  if (body.errors?.length) return body.errors.map((e) => `error: ${e.message} (${String(e.extensions?.code)})`);
  if (!body.data || body.data[field] === undefined) return [`no data.${field}`];
  return [];
}
