import type { LoginThrottle } from '../auth/login-throttle';
import type { AccessTokens } from '../auth/tokens';
import { ApiKeyService } from './api-key.service';
import { AuthService } from './auth.service';
import { EnterpriseService } from './enterprise.service';
import { OrganisationService } from './organisation.service';
import { UserService } from './user.service';

/** The stateless services, built once per process; each method takes the RequestContext first. */
export function createServices(deps: { tokens: AccessTokens; throttle: LoginThrottle }) {
  return {
    auth: new AuthService(deps.tokens, deps.throttle),
    apiKeys: new ApiKeyService(),
    enterprises: new EnterpriseService(),
    organisations: new OrganisationService(),
    users: new UserService(),
  };
}

export type Services = ReturnType<typeof createServices>;
