/**
 * How a date window splits over the monthly rollup (docs/statistics.md, "Windows"): the months it
 * covers whole are read from the rollup; a month it covers only in part is corrected from the base
 * tables, either by adding the days it covers or by taking the whole month and subtracting the days
 * it does not — whichever reads fewer days. Days after today hold no events, so subtracting them
 * is free: "this month so far" costs no more than a whole month.
 */
import { addMonthsClamped } from '../loan/schedule';
import { addDays, daysBetween } from '../time';

export interface WindowParts {
  /** First and last month read whole (the 1st of each); null = open on that side. */
  wholeFrom: string | null;
  wholeTo: string | null;
  /** Up to two inclusive runs of days read from the base tables, each added (1) or subtracted (-1). */
  edge1From: string | null;
  edge1To: string | null;
  edge1Sign: number | null;
  edge2From: string | null;
  edge2To: string | null;
  edge2Sign: number | null;
}

type Run = [from: string, to: string, sign: 1 | -1];

const monthStart = (day: string) => `${day.slice(0, 7)}-01`;
const monthEnd = (day: string) => addDays(addMonthsClamped(monthStart(day), 1), -1);

/** Days of the runs that can hold events (none after today). */
function cost(runs: Run[], today: string): number {
  return runs.reduce((sum, [from, to]) => {
    const last = to < today ? to : today;
    return last < from ? sum : sum + daysBetween(from, last) + 1;
  }, 0);
}

/** Splits the inclusive window [from, to] (either end may be open) into whole months and corrections. */
export function windowParts(from: string | null, to: string | null, today: string): WindowParts {
  let wholeFrom: string | null = null;
  let wholeTo: string | null = null;
  let runs: Run[] = [];
  const partFrom = from !== null && from !== monthStart(from);
  const partTo = to !== null && to !== monthEnd(to);
  if (from !== null && to !== null && monthStart(from) === monthStart(to) && (partFrom || partTo)) {
    // Inside one month: add the window's days, or take the month and subtract the rest.
    const add: Run[] = [[from, to, 1]];
    const subtract: Run[] = [
      ...(partFrom ? [[monthStart(from), addDays(from, -1), -1] as Run] : []),
      ...(partTo ? [[addDays(to, 1), monthEnd(to), -1] as Run] : []),
    ];
    const whole = cost(subtract, today) < cost(add, today);
    runs = whole ? subtract : add;
    wholeFrom = whole ? monthStart(from) : addMonthsClamped(monthStart(from), 1);
    wholeTo = whole ? monthStart(to) : addMonthsClamped(monthStart(to), -1);
  } else {
    if (from !== null) {
      wholeFrom = monthStart(from);
      if (partFrom) {
        const add: Run = [from, monthEnd(from), 1];
        const subtract: Run = [monthStart(from), addDays(from, -1), -1];
        if (cost([subtract], today) < cost([add], today)) runs.push(subtract);
        else {
          runs.push(add);
          wholeFrom = addMonthsClamped(monthStart(from), 1);
        }
      }
    }
    if (to !== null) {
      wholeTo = monthStart(to);
      if (partTo) {
        const add: Run = [monthStart(to), to, 1];
        const subtract: Run = [addDays(to, 1), monthEnd(to), -1];
        if (cost([subtract], today) < cost([add], today)) runs.push(subtract);
        else {
          runs.push(add);
          wholeTo = addMonthsClamped(monthStart(to), -1);
        }
      }
    }
  }
  const [first, second] = runs;
  return {
    wholeFrom,
    wholeTo,
    edge1From: first?.[0] ?? null,
    edge1To: first?.[1] ?? null,
    edge1Sign: first?.[2] ?? null,
    edge2From: second?.[0] ?? null,
    edge2To: second?.[1] ?? null,
    edge2Sign: second?.[2] ?? null,
  };
}
