/**
 * When a failed delivery is tried again (docs/webhooks.md, "Retries"): 10 s after the first
 * attempt, doubling each time up to an hour, each delay ±10 % at random so that a bank's
 * recovering server is not hit by every queued delivery in the same second.
 */
export const FIRST_RETRY_MS = 10_000;
export const MAX_RETRY_MS = 3_600_000;
/** No attempt starts later than this after the event (or after a redelivery). */
export const RETRY_WINDOW_MS = 24 * 3_600_000;

/** The delay after failed attempt number `attempt` (1-based); `random` in [0, 1). */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempt - 1), MAX_RETRY_MS);
  return Math.round(base * (0.9 + 0.2 * random()));
}
