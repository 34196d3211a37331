import { hashPassword } from '../../src/auth/passwords';
import { Department, Enterprise, FinancialInstitution, User } from '../../src/entities';
import { EnterpriseSize, InstitutionType, Role, VerificationStatus } from '../../src/entities/enums';
import { usccCheckChar } from '../../src/services/uscc';
import type { TestServer } from './test-server';

export const PASSWORD = 'correct-horse-battery';

let passwordHash: Promise<string> | undefined;

let usccCounter = 0;
/** A valid USCC, different on every call within a process (region 210602, Dandong). */
export function validUscc(): string {
  usccCounter += 1;
  const first17 = `91210602${process.pid.toString().padStart(5, '0').slice(-5)}${String(usccCounter).padStart(4, '0')}`;
  return first17 + usccCheckChar(first17);
}

export interface Principal {
  user: User;
  token: string;
}

export interface World {
  departmentA: Department;
  departmentB: Department;
  bankA: FinancialInstitution;
  bankB: FinancialInstitution;
  enterpriseA: Enterprise;
  enterpriseB: Enterprise;
  admin: Principal;
  regulator: Principal;
  regulatorB: Principal;
  bank: Principal;
  bankUserB: Principal;
  enterprise: Principal;
  enterpriseUserB: Principal;
}

/** Rows written straight through the ORM (fast, no API), then signed in through the API. */
export class Fixtures {
  private world?: Promise<World>;
  private logins = 0;

  constructor(private readonly server: TestServer) {}

  department(name = `测试部门${Math.random().toString(36).slice(2, 6)}`): Promise<Department> {
    return this.save(Department, { name, regionCode: '210600', createdAt: new Date() });
  }

  institution(name = `测试银行${Math.random().toString(36).slice(2, 8)}`): Promise<FinancialInstitution> {
    return this.save(FinancialInstitution, {
      name,
      type: InstitutionType.CITY_COMMERCIAL_BANK,
      regionCode: '210600',
      createdAt: new Date(),
    });
  }

  enterprise(overrides: Partial<Enterprise> = {}): Promise<Enterprise> {
    return this.save(Enterprise, {
      uscc: validUscc(),
      name: `丹东测试企业${Math.random().toString(36).slice(2, 8)}有限公司`,
      legalRepresentative: '王建国',
      industryCode: 'C39',
      regionCode: '210602',
      size: EnterpriseSize.SMALL,
      establishedOn: '2015-06-01',
      registeredCapital: '5000000.00',
      employees: 45,
      annualRevenue: '12000000.00',
      verificationStatus: VerificationStatus.VERIFIED,
      createdAt: new Date(),
      updatedAt: new Date(),
      ...overrides,
    });
  }

  async user(role: Role, organisation: Partial<User> = {}, login?: string): Promise<User> {
    passwordHash ??= hashPassword(PASSWORD);
    this.logins += 1;
    return this.save(User, {
      login: login ?? `${role.toLowerCase()}-${this.logins}-${Math.random().toString(36).slice(2, 8)}`,
      passwordHash: await passwordHash,
      displayName: `${role} 测试用户`,
      role,
      createdAt: new Date(),
      ...organisation,
    });
  }

  /** Signs in through the API and returns the access token. */
  async login(login: string, password = PASSWORD): Promise<string> {
    const res = await this.server.gql(
      'mutation($input: LoginInput!) { login(input: $input) { accessToken userErrors { code message } } }',
      { input: { login, password } },
    );
    const token = res.body.data?.login?.accessToken;
    if (!token) throw new Error(`login failed for ${login}: ${JSON.stringify(res.body)}`);
    return token;
  }

  async principal(role: Role, organisation: Partial<User> = {}): Promise<Principal> {
    const user = await this.user(role, organisation);
    return { user, token: await this.login(user.login) };
  }

  /** Two of every organisation and a signed-in user of every role, built once per test file. */
  getWorld(): Promise<World> {
    this.world ??= this.buildWorld();
    return this.world;
  }

  private async buildWorld(): Promise<World> {
    const [departmentA, departmentB, bankA, bankB, enterpriseA, enterpriseB] = await Promise.all([
      this.department('丹东市发展和改革委员会'),
      this.department('丹东市财政局'),
      this.institution('测试银行甲'),
      this.institution('测试银行乙'),
      this.enterprise({ name: '丹东甲企业有限公司', legalRepresentative: '张三丰' }),
      this.enterprise({ name: '丹东乙企业有限公司', legalRepresentative: '李四光' }),
    ]);
    const [admin, regulator, regulatorB, bank, bankUserB, enterprise, enterpriseUserB] = await Promise.all([
      this.principal(Role.ADMIN),
      this.principal(Role.REGULATOR, { department: departmentA } as never),
      this.principal(Role.REGULATOR, { department: departmentB } as never),
      this.principal(Role.BANK, { institution: bankA } as never),
      this.principal(Role.BANK, { institution: bankB } as never),
      this.principal(Role.ENTERPRISE, { enterprise: enterpriseA } as never),
      this.principal(Role.ENTERPRISE, { enterprise: enterpriseB } as never),
    ]);
    return {
      departmentA,
      departmentB,
      bankA,
      bankB,
      enterpriseA,
      enterpriseB,
      admin,
      regulator,
      regulatorB,
      bank,
      bankUserB,
      enterprise,
      enterpriseUserB,
    };
  }

  private async save<T extends object>(entity: new () => T, data: Partial<T>): Promise<T> {
    const em = this.server.orm.em.fork();
    const row = em.create(entity, data as never);
    await em.flush();
    return row;
  }
}
