import { registerEnumType } from 'type-graphql';
import {
  AuthorizationScope,
  AuthorizationStatus,
  CommitmentStatus,
  CreditDataSource,
  CreditGrade,
  CreditModelStatus,
  EnterpriseSize,
  InstitutionType,
  RiskLevel,
  Role,
  VerificationStatus,
} from '../entities/enums';
import { UserErrorCode } from '../services/user-error';

/** The contract's enums, registered once with the names it uses. */
registerEnumType(UserErrorCode, { name: 'UserErrorCode' });
registerEnumType(Role, { name: 'Role' });
registerEnumType(InstitutionType, { name: 'InstitutionType' });
registerEnumType(EnterpriseSize, { name: 'EnterpriseSize' });
registerEnumType(VerificationStatus, { name: 'VerificationStatus' });
registerEnumType(CreditGrade, { name: 'CreditGrade' });
registerEnumType(RiskLevel, { name: 'RiskLevel' });
registerEnumType(CreditDataSource, { name: 'CreditDataSource' });
registerEnumType(CreditModelStatus, { name: 'CreditModelStatus' });
registerEnumType(AuthorizationScope, {
  name: 'AuthorizationScope',
  valuesConfig: {
    SUMMARY: { description: 'Grade, score and reason codes.' },
    FULL: { description: "The whole report with every indicator and the enterprise's unmasked profile." },
  },
});
registerEnumType(AuthorizationStatus, { name: 'AuthorizationStatus' });
registerEnumType(CommitmentStatus, { name: 'CommitmentStatus' });

export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(SortDirection, { name: 'SortDirection' });
