import type { EntityManager } from '@mikro-orm/postgresql';
import type { Enterprise, Policy } from '../../entities';
import { pgArray } from '../ids';
import { eligibilityProblems } from '../loan/eligibility';
import { addMonthsClamped } from '../loan/schedule';
import { sql } from '../sql';

/**
 * The latest administrative penalty (credit record ADMIN_PENALTY) on or before `today` of each
 * enterprise, in one statement; absent when it has none.
 */
export async function latestPenalties(
  em: EntityManager,
  enterprises: readonly Enterprise[],
  today: string,
): Promise<Map<string, string>> {
  if (enterprises.length === 0) return new Map();
  const rows = await sql<{ uscc: string; last: string }>(
    em,
    `select uscc, max(occurred_on)::text as last from credit_record
      where uscc = any(?::text[]) and kind = 'ADMIN_PENALTY' and occurred_on <= ?::date
      group by uscc`,
    [pgArray(enterprises.map((e) => e.uscc)), today],
  );
  const byUscc = new Map(rows.map((r) => [r.uscc, r.last]));
  const result = new Map<string, string>();
  for (const e of enterprises) {
    const last = byUscc.get(e.uscc);
    if (last) result.set(e.id, last);
  }
  return result;
}

/**
 * The policy's criteria the enterprise does not meet, as short Chinese sentences naming its own
 * value: the product criteria (grade, industry, region, size, years established) plus "no
 * administrative penalty within N months". Empty when eligible. `lastPenalty` from latestPenalties.
 */
export function policyProblems(
  policy: Policy,
  enterprise: Enterprise,
  today: string,
  lastPenalty: string | undefined,
): string[] {
  const problems = eligibilityProblems(policy, enterprise, today);
  if (policy.noPenaltyMonths && lastPenalty && lastPenalty > addMonthsClamped(today, -policy.noPenaltyMonths)) {
    problems.push(`${lastPenalty} 受到行政处罚，要求近 ${policy.noPenaltyMonths} 个月内无行政处罚`);
  }
  return problems;
}
