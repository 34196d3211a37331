import { basicProblems, type Workload } from './types';

/** W2, the financial supermarket: anonymous, filtered, cheapest first, one page of 20. */
export const W2_DOCUMENT = `query W2Marketplace($filter: LoanProductFilter, $orderBy: LoanProductOrder, $first: Int!) {
  loanProducts(filter: $filter, orderBy: $orderBy, first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id name type minAmount maxAmount minRate maxRate minTermMonths maxTermMonths repaymentMethods
      guaranteeFundEligible publishedAt
      institution { id name }
      eligibility { minGrade industryCodes regionCodes sizes minYearsEstablished }
    }
  }
}`;

export const W2_FILTER = { types: ['CREDIT', 'GUARANTEE'], amount: '1000000', termMonths: 12 };
export const W2_ORDER = { field: 'MIN_RATE', direction: 'ASC' };

export const W2: Workload = {
  id: 'W2',
  title: 'marketplace: anonymous loanProducts with a filter, ordering and first: 20',
  principal: null,
  operationName: 'W2Marketplace',
  document: W2_DOCUMENT,
  cases: [{ label: 'W2 loanProducts(first: 20)', variables: { filter: W2_FILTER, orderBy: W2_ORDER, first: 20 } }],
  floor: 'http',
  check(body, variables) {
    const problems = basicProblems(body, 'loanProducts');
    if (problems.length) return problems;
    const page = body.data!.loanProducts;
    const nodes = page.nodes as any[];
    if (!nodes.length) return ['no products'];
    if (nodes.length > Number(variables.first)) problems.push(`${nodes.length} products > first`);
    const types = (variables.filter as typeof W2_FILTER).types;
    for (const p of nodes) {
      if (!types.includes(p.type)) problems.push(`product ${p.id} of type ${p.type}`);
      if (Number(p.minAmount) > 1_000_000 || Number(p.maxAmount) < 1_000_000) problems.push(`product ${p.id} amount`);
      if (!p.institution?.name) problems.push(`product ${p.id} without its institution`);
    }
    for (let i = 1; i < nodes.length; i++) {
      if (Number(nodes[i].minRate) < Number(nodes[i - 1].minRate)) problems.push('not ordered by minRate');
    }
    if (!(page.totalCount >= nodes.length)) problems.push('totalCount');
    return problems.slice(0, 5);
  },
};
