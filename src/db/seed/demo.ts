import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { hashPassword } from '../../auth/passwords';
import {
  CreditAuthorization,
  CreditCommitment,
  Department,
  Enterprise,
  FinancialInstitution,
  LoanProduct,
  User,
} from '../../entities';
import { AuthorizationScope, CommitmentStatus, ProductStatus, Role, VerificationStatus } from '../../entities/enums';
import { evaluateEnterprises } from '../../services/credit/evaluator';
import { upsertCreditRecords } from '../../services/credit/record-upsert';
import { shanghaiDate } from '../../services/time';
import { demoCreditRecords, profileOf } from './demo-credit';
import { DEMO_PRODUCTS } from './demo-products';
import { deriveEnterpriseSize } from '../../services/enterprise-size';
import { DEMO_DEPARTMENTS, DEMO_INSTITUTIONS } from './demo-organisations';
import { demoEnterprises } from './demo-enterprises';
import type { DemoWorld } from './demo-world';
import { seedMarketplace } from './marketplace';
import { seedPolicySupermarket } from './policies';

export const DEMO_PASSWORD = 'demo-password-1';

export const DEMO_LOGINS = [
  { login: 'demo-admin', role: Role.ADMIN, who: '平台管理员' },
  { login: 'demo-regulator', role: Role.REGULATOR, who: '丹东市发展和改革委员会' },
  { login: 'demo-finance', role: Role.REGULATOR, who: '丹东市财政局' },
  { login: 'demo-tech', role: Role.REGULATOR, who: '丹东市科学技术局' },
  { login: 'demo-bank', role: Role.BANK, who: '工商银行丹东分行' },
  { login: 'demo-bank2', role: Role.BANK, who: '鸭绿江城市商业银行' },
  { login: 'demo-enterprise', role: Role.ENTERPRISE, who: '第一家演示企业' },
] as const;

/**
 * Seeds the demo city once (skipped when the demo admin exists), in one transaction: departments,
 * institutions, enterprises with a year of credit data, products, one login per role (all sharing
 * DEMO_PASSWORD), then the marketplace (demands, offers, loans, a guarantee fund, a whitelist), then the
 * policy supermarket (policies of three departments, fund claims in every status, risk alerts).
 */
export async function seedDemo(em: EntityManager, logger: Logger): Promise<boolean> {
  if (await em.count(User, { login: 'demo-admin' })) return false;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await em.transactional(async (tx) => {
    const departments = Object.fromEntries(
      DEMO_DEPARTMENTS.map((d) => [
        d.key,
        tx.create(Department, { name: d.name, regionCode: d.regionCode, createdAt: new Date() }),
      ]),
    );
    const institutions = Object.fromEntries(
      DEMO_INSTITUTIONS.map((i) => [
        i.key,
        tx.create(FinancialInstitution, {
          name: i.name,
          type: i.type,
          regionCode: i.regionCode,
          createdAt: new Date(),
        }),
      ]),
    );
    const enterprises = demoEnterprises().map((e, i) =>
      tx.create(Enterprise, {
        ...e,
        size: deriveEnterpriseSize({
          industryCode: e.industryCode,
          employees: e.employees,
          annualRevenueYuan: e.annualRevenue,
          registeredCapitalYuan: e.registeredCapital,
        }) as Enterprise['size'],
        // Most demo enterprises have passed real-name verification; a few are still waiting.
        verificationStatus: i % 8 === 7 ? VerificationStatus.PENDING : VerificationStatus.VERIFIED,
        createdAt: new Date(Date.now() - (40 - i) * 86_400_000),
        updatedAt: new Date(),
      }),
    );
    const user = (login: string, displayName: string, role: Role, org: Partial<User>) =>
      tx.create(User, { login, passwordHash, displayName, role, createdAt: new Date(), ...org });
    user('demo-admin', '平台管理员', Role.ADMIN, {});
    user('demo-regulator', '发改委 信用科', Role.REGULATOR, { department: departments.ndrc } as never);
    user('demo-finance', '财政局 金融科', Role.REGULATOR, { department: departments.finance } as never);
    user('demo-tech', '科技局 成果转化科', Role.REGULATOR, { department: departments.tech } as never);
    user('demo-bank', '工行 普惠金融部', Role.BANK, { institution: institutions.icbc } as never);
    user('demo-bank2', '鸭绿江银行 小微金融部', Role.BANK, { institution: institutions.yalu } as never);
    user('demo-enterprise', `${enterprises[0].name} 财务`, Role.ENTERPRISE, { enterprise: enterprises[0] } as never);
    await tx.flush();

    // A year of credit data, a few signed commitments and one consent, then the first evaluation.
    const now = new Date();
    await upsertCreditRecords(tx, demoCreditRecords(demoEnterprises(), shanghaiDate(now)), now);
    enterprises.forEach((e, i) => {
      if (profileOf(i) === 'excellent' || i % 5 === 0) {
        tx.create(CreditCommitment, {
          enterpriseId: e.id,
          title: '信用承诺书',
          content: `${e.name}承诺所提交的材料真实有效，依法诚信经营，按期履约还款，自愿接受社会监督。`,
          status: CommitmentStatus.SIGNED,
          signedAt: now,
          createdAt: now,
        });
      }
    });
    tx.create(CreditAuthorization, {
      enterpriseId: enterprises[0].id,
      institutionId: institutions.icbc.id,
      scope: AuthorizationScope.FULL,
      purpose: '流动资金贷款授信审查',
      grantedAt: now,
      expiresAt: new Date(now.getTime() + 180 * 86_400_000),
      createdAt: now,
    });
    const products = new Map<string, LoanProduct>();
    for (const { bank, industryCodes, sizes, minYearsEstablished, ...product } of DEMO_PRODUCTS) {
      const created = tx.create(LoanProduct, {
        ...product,
        institution: institutions[bank],
        industryCodes: industryCodes ?? [],
        regionCodes: [],
        sizes: sizes ?? [],
        minYearsEstablished: minYearsEstablished ?? null,
        status: ProductStatus.PUBLISHED,
        publishedAt: now,
        createdAt: now,
        updatedAt: now,
      });
      products.set(`${bank}/${product.name}`, created);
    }
    await tx.flush();
    await evaluateEnterprises(tx, 'all', now);
    const world = {
      em: tx,
      now,
      today: shanghaiDate(now),
      departments,
      institutions,
      enterprises,
      products,
      used: new Set(),
      passwordHash,
    } as DemoWorld;
    await seedMarketplace(world);
    await seedPolicySupermarket(world);
  });
  logger.info('demo data seeded');
  return true;
}
