import type { Enterprise, FinancialInstitution } from '../../src/entities';
import { Role } from '../../src/entities/enums';
import { addDays } from '../../src/services/time';
import type { World } from './fixtures';
import { startTestServer, type TestServer } from './test-server';

/** Set-up shared by the marketplace tests: fresh parties, products, demands, offers and loans. */

export interface Party<T> {
  org: T;
  token: string;
}

/** userErrors as sorted `field.path:CODE` strings, for compact assertions. */
export const codes = (errors: { field: string[] | null; code: string }[]) =>
  errors.map((e) => `${(e.field ?? []).join('.')}:${e.code}`).sort();

export const LOAN_FIELDS = `id status creditAmount disbursedAmount outstandingPrincipal rate termMonths repaymentMethod
  grantedOn disbursedOn maturityDate daysOverdue`;

export const productInput = (overrides: Record<string, unknown> = {}) => ({
  name: '信易贷·测试产品',
  description: '测试产品',
  type: 'CREDIT',
  minAmount: '10000',
  maxAmount: '5000000',
  minRate: '3.2',
  maxRate: '6',
  minTermMonths: 3,
  maxTermMonths: 36,
  repaymentMethods: ['EQUAL_INSTALLMENT', 'EQUAL_PRINCIPAL', 'INTEREST_FIRST', 'BULLET'],
  ...overrides,
});

export const demandInput = (overrides: Record<string, unknown> = {}) => ({
  amount: '1000000.00',
  termMonths: 12,
  purpose: '采购原材料',
  acceptedTypes: ['CREDIT', 'GUARANTEE'],
  ...overrides,
});

export class Marketplace {
  constructor(private readonly server: TestServer) {}

  async enterprise(overrides: Partial<Enterprise> = {}): Promise<Party<Enterprise>> {
    const org = await this.server.fixtures.enterprise(overrides);
    const { token } = await this.server.fixtures.principal(Role.ENTERPRISE, { enterprise: org } as never);
    return { org, token };
  }

  async bank(): Promise<Party<FinancialInstitution>> {
    const org = await this.server.fixtures.institution();
    const { token } = await this.server.fixtures.principal(Role.BANK, { institution: org } as never);
    return { org, token };
  }

  /** A PUBLISHED product of the bank; returns its id. */
  async product(token: string, overrides: Record<string, unknown> = {}): Promise<string> {
    const created = await this.call(
      `mutation($input: CreateLoanProductInput!) { createLoanProduct(input: $input) { product { id } userErrors { field message } } }`,
      { input: productInput(overrides) },
      token,
      'createLoanProduct',
    );
    const id = created.product.id;
    await this.call(
      `mutation($id: ID!) { publishLoanProduct(input: { id: $id }) { userErrors { message } } }`,
      { id },
      token,
      'publishLoanProduct',
    );
    return id;
  }

  async demand(token: string, overrides: Record<string, unknown> = {}): Promise<string> {
    const published = await this.call(
      `mutation($input: PublishDemandInput!) { publishDemand(input: $input) { demand { id } userErrors { field message } } }`,
      { input: demandInput(overrides) },
      token,
      'publishDemand',
    );
    return published.demand.id;
  }

  /** makeOffer as sent, payload back (userErrors included). */
  async makeOffer(token: string, input: Record<string, unknown>) {
    const res = await this.server.gql(
      `mutation($input: MakeOfferInput!) {
        makeOffer(input: $input) { offer { id status amount rate termMonths validUntil } userErrors { field code message } }
      }`,
      { input },
      { token },
    );
    if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
    return res.body.data.makeOffer;
  }

  async offer(token: string, demandId: string, productId: string, overrides: Record<string, unknown> = {}) {
    const made = await this.makeOffer(token, {
      demandId,
      productId,
      amount: '1000000.00',
      rate: '3.85',
      termMonths: 12,
      repaymentMethod: 'EQUAL_INSTALLMENT',
      ...overrides,
    });
    if (!made.offer) throw new Error(`makeOffer failed: ${JSON.stringify(made.userErrors)}`);
    return made.offer.id as string;
  }

  async accept(token: string, offerId: string) {
    const res = await this.server.gql(
      `mutation($id: ID!) {
        acceptOffer(input: { id: $id }) {
          offer { id status } demand { id status } loan { ${LOAN_FIELDS} } userErrors { field code message }
        }
      }`,
      { id: offerId },
      { token },
    );
    if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
    return res.body.data.acceptOffer;
  }

  /**
   * A PENDING loan: a fresh enterprise (grade as given) publishes a demand, the bank bids with a
   * fresh product, the enterprise accepts.
   */
  async pendingLoan(
    bank: Party<FinancialInstitution>,
    opts: { product?: Record<string, unknown>; offer?: Record<string, unknown>; enterprise?: Partial<Enterprise> } = {},
  ) {
    const enterprise = await this.enterprise(opts.enterprise);
    const productId = await this.product(bank.token, opts.product);
    const demandId = await this.demand(enterprise.token);
    const offerId = await this.offer(bank.token, demandId, productId, opts.offer);
    const accepted = await this.accept(enterprise.token, offerId);
    if (!accepted.loan) throw new Error(`acceptOffer failed: ${JSON.stringify(accepted.userErrors)}`);
    return { enterprise, productId, demandId, offerId, loanId: accepted.loan.id as string };
  }

  /** Runs a mutation and returns its payload, failing loudly on GraphQL errors or userErrors. */
  async call(query: string, variables: Record<string, unknown>, token: string, field: string) {
    const res = await this.server.gql(query, variables, { token });
    const payload = res.body.data?.[field];
    if (res.body.errors || payload?.userErrors?.length) {
      throw new Error(`${field} failed: ${JSON.stringify(res.body.errors ?? payload.userErrors)}`);
    }
    return payload;
  }
}

// ── Loans after acceptance (授信 / 放款 / 还款): used by the loan and guarantee fund tests.

export const LOAN_INPUT_TYPES = {
  grantCredit: 'GrantCreditInput',
  declineLoan: 'DeclineLoanInput',
  disburseLoan: 'DisburseLoanInput',
  recordRepayment: 'RecordRepaymentInput',
  markLoanOverdue: 'MarkLoanOverdueInput',
  claimCompensation: 'ClaimCompensationInput',
} as const;

export type LoanMutation = keyof typeof LOAN_INPUT_TYPES;

/**
 * SQL order of a loan's events (alias `e`) as they happened: by date, by when they were
 * recorded, and by type for the events one change writes together (REPAID, then SETTLED).
 */
export const LOAN_EVENT_ORDER = `e.occurred_on, e.created_at,
  array_position(array['GRANTED','DISBURSED','REPAID','OVERDUE','DEFAULTED','SETTLED','DECLINED','COMPENSATED'], e.type)`;

/** `date` (YYYY-MM-DD) plus `days` calendar days. */
export const shiftDate = addDays;

/** The server's today, in Asia/Shanghai (UTC+8, no daylight saving). */
export function serverToday(server: TestServer): string {
  return new Date(server.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

export class LoanDesk {
  constructor(
    private readonly server: TestServer,
    private readonly market: Marketplace,
  ) {}

  /** One of the bank's loan mutations as sent; the payload back (userErrors included), GraphQL errors thrown. */
  async run(name: LoanMutation, token: string, input: Record<string, unknown>) {
    const res = await this.server.gql(
      `mutation($input: ${LOAN_INPUT_TYPES[name]}!) {
        ${name}(input: $input) { loan { ${LOAN_FIELDS} } userErrors { field code message } }
      }`,
      { input },
      { token },
    );
    if (res.body.errors) throw new Error(`${name}: ${JSON.stringify(res.body.errors)}`);
    return res.body.data[name] as { loan: Record<string, any> | null; userErrors: any[] };
  }

  /** Like run, failing loudly on userErrors; the loan back. */
  async must(name: LoanMutation, token: string, input: Record<string, unknown>) {
    const payload = await this.run(name, token, input);
    if (payload.userErrors.length) throw new Error(`${name} failed: ${JSON.stringify(payload.userErrors)}`);
    return payload.loan!;
  }

  /** A GRANTED loan: pendingLoan, then credit granted today on the offer's terms (overridable). */
  async grantedLoan(
    bank: Party<FinancialInstitution>,
    opts: Parameters<Marketplace['pendingLoan']>[1] & { grant?: Record<string, unknown> } = {},
  ) {
    const pending = await this.market.pendingLoan(bank, opts);
    await this.must('grantCredit', bank.token, {
      loanId: pending.loanId,
      creditAmount: (opts.offer?.amount as string | undefined) ?? '1000000.00',
      rate: (opts.offer?.rate as string | undefined) ?? '3.85',
      termMonths: (opts.offer?.termMonths as number | undefined) ?? 12,
      grantedOn: serverToday(this.server),
      ...opts.grant,
    });
    return pending;
  }

  /** An ACTIVE loan: granted and fully disbursed today. */
  async activeLoan(bank: Party<FinancialInstitution>, opts: Parameters<LoanDesk['grantedLoan']>[1] = {}) {
    const granted = await this.grantedLoan(bank, opts);
    const creditAmount = (opts.grant?.creditAmount ?? opts.offer?.amount ?? '1000000.00') as string;
    await this.must('disburseLoan', bank.token, {
      loanId: granted.loanId,
      amount: creditAmount,
      disbursedOn: serverToday(this.server),
    });
    return granted;
  }

  /** A fresh access token for the user of a bank or an enterprise (tokens last 15 minutes of clock time). */
  async signInAgain(org: { id: string }): Promise<string> {
    const [user] = await this.server.sql<{ login: string }>(
      'select login from app_user where institution_id = ? or enterprise_id = ? order by created_at limit 1',
      [org.id, org.id],
    );
    return this.server.fixtures.login(user.login);
  }

  /** Runs `work` with the server's clock `days` ahead, then puts the clock back. */
  async later<T>(days: number, work: () => Promise<T>): Promise<T> {
    this.server.clock.advanceDays(days);
    try {
      return await work();
    } finally {
      this.server.clock.advanceDays(-days);
    }
  }
}

/**
 * What a file about loans starts with: its own server, the shared world, a marketplace and a loan
 * desk on it. `const t = await startLoanDesk()` in beforeAll, `t.server.close()` in afterAll.
 */
export async function startLoanDesk(): Promise<{
  server: TestServer;
  world: World;
  market: Marketplace;
  desk: LoanDesk;
}> {
  const server = await startTestServer();
  const world = await server.fixtures.getWorld();
  const market = new Marketplace(server);
  return { server, world, market, desk: new LoanDesk(server, market) };
}
