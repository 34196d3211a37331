import { ApiKey } from './api-key.entity';
import { AuditEvent } from './audit-event.entity';
import { Department } from './department.entity';
import { Enterprise } from './enterprise.entity';
import { FinancialInstitution } from './institution.entity';
import { RefreshToken } from './refresh-token.entity';
import { User } from './user.entity';

export { ApiKey, AuditEvent, Department, Enterprise, FinancialInstitution, RefreshToken, User };

export const ENTITIES = [Department, FinancialInstitution, Enterprise, User, RefreshToken, ApiKey, AuditEvent];
