import type { FilterQuery } from '@mikro-orm/postgresql';
import type { Enterprise } from '../entities';
import type { CreditGrade, EnterpriseSize, VerificationStatus } from '../entities/enums';
import { isValidIndustryFilterCode } from '../reference/industries';
import { isValidRegionCode, regionScopePrefix } from '../reference/regions';
import { BadInputError } from './errors';
import { likeContains, likePrefix } from './validation';

export interface EnterpriseFilter {
  search?: string | null;
  regionCodes?: string[] | null;
  industryCodes?: string[] | null;
  sizes?: EnterpriseSize[] | null;
  grades?: CreditGrade[] | null;
  verificationStatus?: VerificationStatus | null;
}

/** Region codes match hierarchically: a province (xx0000) or city (xxxx00) includes what lies in it. */
function regionPrefix(code: string): string {
  if (!isValidRegionCode(code)) throw new BadInputError(`行政区划代码无效：${code}`, 'filter.regionCodes');
  return regionScopePrefix(code);
}

export function enterpriseFilterConditions(filter: EnterpriseFilter): FilterQuery<Enterprise>[] {
  const conditions: FilterQuery<Enterprise>[] = [];
  const search = filter.search?.trim();
  if (search) {
    const pattern = likeContains(search);
    conditions.push({ $or: [{ name: { $ilike: pattern } }, { uscc: { $like: likePrefix(search.toUpperCase()) } }] });
  }
  if (filter.regionCodes?.length) {
    conditions.push({ $or: filter.regionCodes.map((c) => ({ regionCode: { $like: likePrefix(regionPrefix(c)) } })) });
  }
  if (filter.industryCodes?.length) {
    for (const code of filter.industryCodes) {
      if (!isValidIndustryFilterCode(code)) throw new BadInputError(`行业代码无效：${code}`, 'filter.industryCodes');
    }
    conditions.push({ $or: filter.industryCodes.map((c) => ({ industryCode: { $like: likePrefix(c) } })) });
  }
  if (filter.sizes?.length) conditions.push({ size: { $in: filter.sizes } });
  if (filter.verificationStatus) conditions.push({ verificationStatus: filter.verificationStatus });
  if (filter.grades?.length) conditions.push({ creditGrade: { $in: filter.grades } });
  return conditions;
}
