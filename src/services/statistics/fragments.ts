/** SQL fragments both statistics sources filter with (parameters as in params.ts). */

/** A date column inside the window (both ends inclusive, either may be open). */
export const inWindow = (column: string) =>
  `(${column} IS NOT NULL AND (@from::date IS NULL OR ${column} >= @from::date) AND (@to::date IS NULL OR ${column} <= @to::date))`;

/** A timestamptz column whose Asia/Shanghai calendar date lies in the window (index-friendly bounds). */
export const instantInWindow = (column: string) =>
  `((@from::date IS NULL OR ${column} >= (@from::date)::timestamp AT TIME ZONE 'Asia/Shanghai')` +
  ` AND (@to::date IS NULL OR ${column} < (@to::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'))`;

export const enterpriseInScope = (alias: string) =>
  `(@regions::text[] IS NULL OR ${alias}.region_code LIKE ANY (@regions::text[]))` +
  ` AND (@industries::text[] IS NULL OR ${alias}.industry_code LIKE ANY (@industries::text[]))`;

export const institutionInScope = (column: string) =>
  `(@institutions::uuid[] IS NULL OR ${column} = ANY (@institutions::uuid[]))`;
