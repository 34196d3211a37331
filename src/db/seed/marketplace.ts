import { Enterprise, GuaranteeFund } from '../../entities';
import { CreditGrade } from '../../entities/enums';
import { assessRisk } from '../../services/credit/evaluator';
import { seedOpenDemands } from './demands';
import { type DemoWorld } from './demo-world';
import { DAY_MS } from '../../services/time';
import { seedLoans } from './loans';
import { seedWhitelist } from './whitelist';

export const DEMO_FUND_NAME = '丹东市信易贷信用保证基金';

/**
 * The Weihai risk-share rules (DESIGN.md): the fund bears 80 % / 60 % / 40 % of a loss on loans
 * up to 5,000,000 yuan to A / B / C enterprises, whose banks may ask for 0 % / 70 % / 100 % collateral.
 */
function seedGuaranteeFund(world: DemoWorld): GuaranteeFund {
  const rule = (grade: CreditGrade, fundSharePercent: number, collateralPercent: number) => ({
    grade,
    fundSharePercent,
    maxLoanAmount: '5000000.00',
    collateralPercent,
  });
  return world.em.create(GuaranteeFund, {
    department: world.departments.ndrc,
    name: DEMO_FUND_NAME,
    capital: '100000000.00',
    rules: [rule(CreditGrade.A, 80, 0), rule(CreditGrade.B, 60, 70), rule(CreditGrade.C, 40, 100)],
    // Set up before the oldest demo loan was granted.
    createdAt: new Date(world.now.getTime() - 400 * DAY_MS),
  });
}

/**
 * The marketplace on top of the graded demo city: a guarantee fund, loans in every status (each
 * from a demand and an accepted offer), open demands with pending offers, and a dispatched
 * whitelist. Runs inside the seed's transaction after the first evaluation; one flush writes it
 * (batched per table), then the borrowers' risk is re-assessed so late payers show YELLOW or RED.
 */
export async function seedMarketplace(world: DemoWorld): Promise<void> {
  // The evaluation wrote grades and risk levels with SQL: read them into the entities.
  await world.em.find(Enterprise, { id: { $in: world.enterprises.map((e) => e.id) } }, { refresh: true });
  const fund = seedGuaranteeFund(world);
  const borrowers = seedLoans(world, fund);
  seedOpenDemands(world);
  seedWhitelist(world);
  await world.em.flush();
  await assessRisk(world.em, borrowers, world.today, world.now);
}
