/** One day in milliseconds: validity periods are whole days from the moment of granting. */
export const DAY_MS = 86_400_000;

/** A calendar date (YYYY-MM-DD) plus (or minus) whole days. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from one calendar date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** Asia/Shanghai has had no daylight saving since 1991: a fixed +08:00 offset is exact. */
const OFFSET_MS = 8 * 60 * 60 * 1000;

/** ISO 8601 with the +08:00 offset, e.g. 2026-11-28T09:30:00.000+08:00. */
export function formatDateTime(date: Date): string {
  return new Date(date.getTime() + OFFSET_MS).toISOString().replace('Z', '+08:00');
}

/** Today's calendar date in Asia/Shanghai, YYYY-MM-DD. */
export function shanghaiDate(now: Date): string {
  return formatDateTime(now).slice(0, 10);
}

export function isValidIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}
