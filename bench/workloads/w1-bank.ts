import { basicProblems, type Workload } from './types';

/**
 * W1, bank integration: a bank's system pulls the demands it may bid on, newest first, with each
 * demand's enterprise (name, USCC, grade), how many offers compete, and its own offers.
 */
export const W1_DOCUMENT = `query W1BankDemands($first: Int!, $offers: Int!) {
  demands(first: $first) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id amount termMonths purpose status acceptedTypes
      enterprise { id name uscc creditGrade }
      offerCount
      offers(first: $offers) { nodes { id amount rate termMonths status } }
    }
  }
}`;

/** A bank has at most one live offer per demand; three leaves room for withdrawn ones. */
export const W1_OFFERS_PER_DEMAND = 3;

export const w1Variables = (first: number) => ({ first, offers: W1_OFFERS_PER_DEMAND });

export const W1: Workload = {
  id: 'W1',
  title: 'bank integration: demands(first: 100) with enterprise, offerCount and own offers',
  principal: 'bank',
  operationName: 'W1BankDemands',
  document: W1_DOCUMENT,
  cases: [{ label: 'W1 demands(first: 100)', variables: w1Variables(100) }],
  floor: 'http',
  check(body, variables) {
    const problems = basicProblems(body, 'demands');
    if (problems.length) return problems;
    const nodes = body.data!.demands.nodes as any[];
    if (!Array.isArray(nodes) || nodes.length === 0) return ['no demands'];
    if (nodes.length > Number(variables.first)) problems.push(`${nodes.length} demands > first`);
    for (const d of nodes) {
      if (!d.enterprise?.name || !d.enterprise?.uscc) problems.push(`demand ${d.id} without its enterprise`);
      if (typeof d.offerCount !== 'number') problems.push(`demand ${d.id} without offerCount`);
      if (!Array.isArray(d.offers?.nodes)) problems.push(`demand ${d.id} without offers`);
    }
    const created = nodes.map((d) => d.id);
    if (new Set(created).size !== created.length) problems.push('a demand twice');
    return problems.slice(0, 5);
  },
};
