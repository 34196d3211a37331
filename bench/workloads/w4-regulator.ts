import { basicProblems, type Workload } from './types';

const FIGURES = 'granted { count amount } disbursed { count amount } outstandingBalance nplRatio';

/** W4, the regulator: platform statistics over everything, then for one city. */
export const W4_DOCUMENT = `query W4PlatformStatistics($filter: StatisticsFilter) {
  platformStatistics(filter: $filter) {
    enterprises verifiedEnterprises institutions publishedProducts
    demands { count amount } matchRate ${FIGURES} averageRate creditLoanShare averageDaysToCredit
    byInstitution { rank offers averageRate ${FIGURES} institution { id name } }
    byRegion { key ${FIGURES} }
    byIndustry { key ${FIGURES} }
    byMonth { key ${FIGURES} }
  }
}`;

/** Shenzhen: one of the ten cities of the credit dataset (bench/lib/dataset.ts). */
export const W4_REGION = '440300';

export const W4: Workload = {
  id: 'W4',
  title: 'regulator: platformStatistics with no filter and with a region filter',
  principal: 'regulator',
  operationName: 'W4PlatformStatistics',
  document: W4_DOCUMENT,
  cases: [
    { label: 'W4 no filter', variables: { filter: null } },
    { label: `W4 region ${W4_REGION}`, variables: { filter: { regionCodes: [W4_REGION] } } },
  ],
  floor: 'sql',
  check(body) {
    const problems = basicProblems(body, 'platformStatistics');
    if (problems.length) return problems;
    const s = body.data!.platformStatistics;
    if (!(s.enterprises > 0)) problems.push('no enterprises');
    if (!(s.granted.count > 0)) problems.push('no loans granted');
    if (!s.byMonth.length || !s.byInstitution.length) problems.push('empty groups');
    return problems;
  },
};
