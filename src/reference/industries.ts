import industryData from './industry-gbt4754-2017.json';

// GB/T 4754-2017 industry codes: section letter + 2-digit division (C39), optionally
// the group (C391) or class (C3911) digits. Divisions are numbered across the whole
// standard, so the letter is redundant — which is exactly why a mismatched pair (C01)
// is a typo worth rejecting rather than guessing at.

interface Division {
  sectionCode: string;
  name: string;
}

const sectionNames = new Map<string, string>();
const divisions = new Map<string, Division>();
for (const section of industryData.sections) {
  sectionNames.set(section.code, section.name);
  for (const division of section.divisions) {
    divisions.set(division.code, { sectionCode: section.code, name: division.name });
  }
}

// Group/class digits are not in the reference data, so they are accepted on shape alone.
const CODE_PATTERN = /^([A-Z])(\d{2})(\d{1,2})?$/;

function divisionOf(code: string): Division | undefined {
  const match = CODE_PATTERN.exec(code);
  if (!match) return undefined;
  const division = divisions.get(match[2]!);
  return division && division.sectionCode === match[1] ? division : undefined;
}

/** An enterprise's industry: division level or deeper, e.g. C39, C391, C3911. */
export function isValidIndustryCode(code: string): boolean {
  return divisionOf(code) !== undefined;
}

/**
 * The division's name for a code at division level or deeper; for a bare section
 * letter (valid only in filters) the section's name, so filter labels can be shown.
 */
export function industryName(code: string): string | undefined {
  return sectionNames.get(code) ?? divisionOf(code)?.name;
}

/** Filters and eligibility lists may also name a whole section, e.g. "C". */
export function isValidIndustryFilterCode(code: string): boolean {
  return sectionNames.has(code) || isValidIndustryCode(code);
}
