import { basicProblems, type Workload } from './types';

/**
 * W3, the enterprise's dashboard: its profile and latest report summary, its demands with their
 * offers, its loans with their repayment schedules, recommended products and matching policies.
 */
export const W3_DOCUMENT = `query W3Dashboard($first: Int!, $offers: Int!, $suggestions: Int!) {
  myEnterprise {
    id name uscc creditGrade riskLevel verificationStatus
    creditReport { id score grade generatedAt modelVersion reasonCodes }
    demands(first: $first) {
      totalCount
      nodes {
        id amount termMonths status createdAt expiresAt offerCount
        offers(first: $offers) { nodes { id amount rate termMonths status institution { id name } } }
      }
    }
  }
  loans(first: $first) {
    nodes {
      id status creditAmount disbursedAmount outstandingPrincipal rate termMonths grantedOn maturityDate
      institution { name }
      schedule { number dueDate principal interest total remainingPrincipal }
    }
  }
  recommendedProducts(first: $suggestions) { score reasons product { id name minRate institution { name } } }
  matchedPolicies(first: $suggestions) { eligible unmetCriteria policy { id title category applyUntil } }
}`;

export const w3Variables = (first: number) => ({ first, offers: 3, suggestions: 5 });

export const W3: Workload = {
  id: 'W3',
  title: 'enterprise dashboard: myEnterprise, report, demands with offers, loans with schedule, recommendations',
  principal: 'enterprise',
  operationName: 'W3Dashboard',
  document: W3_DOCUMENT,
  cases: [{ label: 'W3 dashboard (first: 20)', variables: w3Variables(20) }],
  floor: null,
  check(body) {
    const problems = basicProblems(body, 'myEnterprise');
    if (problems.length) return problems;
    const { myEnterprise: e, loans, recommendedProducts, matchedPolicies } = body.data!;
    if (!e?.uscc) return ['myEnterprise is null'];
    if (!e.creditReport?.grade) problems.push('no credit report');
    if (!e.demands?.nodes?.length) problems.push('no demands');
    if (!loans?.nodes?.length) problems.push('no loans');
    if (!Array.isArray(recommendedProducts)) problems.push('no recommendedProducts');
    if (!Array.isArray(matchedPolicies)) problems.push('no matchedPolicies');
    return problems;
  },
};
