import { registerEnumType } from 'type-graphql';
import { CreditGrade, EnterpriseSize, InstitutionType, Role, VerificationStatus } from '../entities/enums';
import { UserErrorCode } from '../services/user-error';

/** The contract's enums, registered once with the names it uses. */
registerEnumType(UserErrorCode, { name: 'UserErrorCode' });
registerEnumType(Role, { name: 'Role' });
registerEnumType(InstitutionType, { name: 'InstitutionType' });
registerEnumType(EnterpriseSize, { name: 'EnterpriseSize' });
registerEnumType(VerificationStatus, { name: 'VerificationStatus' });
registerEnumType(CreditGrade, { name: 'CreditGrade' });

export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(SortDirection, { name: 'SortDirection' });
