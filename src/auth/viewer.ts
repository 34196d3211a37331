import { Role } from '../entities/enums';

/** Who is asking: built once per request from the credentials, then passed to every service. */
export interface Viewer {
  userId: string | null;
  role: Role | null;
  enterpriseId: string | null;
  institutionId: string | null;
  departmentId: string | null;
  /** Set when the request authenticated with an API key rather than a session. */
  apiKeyId: string | null;
}

export const ANONYMOUS: Viewer = Object.freeze({
  userId: null,
  role: null,
  enterpriseId: null,
  institutionId: null,
  departmentId: null,
  apiKeyId: null,
});

export function isSignedIn(viewer: Viewer): viewer is Viewer & { userId: string; role: Role } {
  return viewer.userId !== null && viewer.role !== null;
}
