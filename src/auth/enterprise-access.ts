import { Role } from '../entities/enums';
import type { Viewer } from './viewer';

/**
 * May this viewer read an enterprise's sensitive profile (unmasked legal representative,
 * employees, revenue)? The enterprise itself and regulators may; banks only with a FULL
 * credit authorisation, which `hasFullAuthorisation` answers (batched per request).
 */
export async function canReadSensitiveProfile(
  viewer: Viewer,
  enterpriseId: string,
  hasFullAuthorisation: (enterpriseId: string) => Promise<boolean>,
): Promise<boolean> {
  switch (viewer.role) {
    case Role.REGULATOR:
      return true;
    case Role.ENTERPRISE:
      return viewer.enterpriseId === enterpriseId;
    case Role.BANK:
      return hasFullAuthorisation(enterpriseId);
    default:
      return false;
  }
}

/** 张三丰 → 张*: the first character and one star, which hides the length too. */
export function maskPersonName(name: string): string {
  const first = [...name][0];
  return first ? `${first}*` : '*';
}
