import { shanghaiDate } from '../../src/services/time';
import type { TestServer } from './test-server';

/** Set-up shared by the policy tests: valid inputs and published policies. */

const DAY_MS = 86_400_000;

/** A date `days` from the server's today (Asia/Shanghai), YYYY-MM-DD. */
export const serverDate = (server: TestServer, days = 0) =>
  shanghaiDate(new Date(server.clock.now().getTime() + days * DAY_MS));

export const policyInput = (server: TestServer, overrides: Record<string, unknown> = {}) => ({
  title: '丹东市小微企业贷款贴息政策',
  summary: '对按期还本付息的小微企业给予贷款贴息',
  body: '一、支持对象……二、支持标准……三、申报材料……',
  category: 'INTEREST_SUBSIDY',
  maxAmountPerClaim: '200000.00',
  budget: '5000000.00',
  applyFrom: serverDate(server, -10),
  applyUntil: serverDate(server, 60),
  ...overrides,
});

export const POLICY_FIELDS = `id title status budget budgetCommitted maxAmountPerClaim applyFrom applyUntil publishedAt
  department { id } eligibility { industryCodes regionCodes sizes minGrade minYearsEstablished noPenaltyMonths }`;

export class PolicyDesk {
  constructor(private readonly server: TestServer) {}

  /** createPolicy as sent; the payload back. */
  async create(token: string, overrides: Record<string, unknown> = {}) {
    const res = await this.server.gql(
      `mutation($input: CreatePolicyInput!) { createPolicy(input: $input) { policy { ${POLICY_FIELDS} } userErrors { field code message } } }`,
      { input: policyInput(this.server, overrides) },
      { token },
    );
    if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
    return res.body.data.createPolicy;
  }

  /** A PUBLISHED policy of the regulator's department, open today unless the window says otherwise; its id. */
  async published(token: string, overrides: Record<string, unknown> = {}): Promise<string> {
    const created = await this.create(token, overrides);
    if (!created.policy) throw new Error(`createPolicy failed: ${JSON.stringify(created.userErrors)}`);
    const res = await this.server.gql(
      `mutation($id: ID!) { publishPolicy(input: { id: $id }) { userErrors { code message } } }`,
      { id: created.policy.id },
      { token },
    );
    if (res.body.errors || res.body.data.publishPolicy.userErrors.length) {
      throw new Error(`publishPolicy failed: ${JSON.stringify(res.body)}`);
    }
    return created.policy.id;
  }
}

// ── Fund claims (政策兑现): used by the claim, review, publicity and subscription tests.

export const CLAIM_FIELDS = `id status requestedAmount approvedAmount statement publicityEndsAt disbursedAt submittedAt
  paymentReference policy { id budgetCommitted } enterprise { id }`;

export const CLAIM_STATEMENT = '我司上年度按期还本付息，符合贷款贴息政策的申报条件，特此申请兑现。';

export interface ClaimPayload {
  claim: Record<string, any> | null;
  userErrors: { field: string[] | null; code: string; message: string }[];
}

/** The fund claim mutations through the API; `run` returns the payload, the others fail loudly. */
export class ClaimDesk {
  constructor(private readonly server: TestServer) {}

  async run(
    name: 'submitFundClaim' | 'withdrawFundClaim' | 'reviewFundClaim' | 'disburseFundClaim',
    token: string,
    input: Record<string, unknown>,
  ): Promise<ClaimPayload> {
    const type = {
      submitFundClaim: 'SubmitFundClaimInput',
      withdrawFundClaim: 'ClaimIdInput',
      reviewFundClaim: 'ReviewFundClaimInput',
      disburseFundClaim: 'ClaimIdInput',
    }[name];
    const res = await this.server.gql(
      `mutation($input: ${type}!) { ${name}(input: $input) { claim { ${CLAIM_FIELDS} } userErrors { field code message } } }`,
      { input },
      { token },
    );
    if (res.body.errors) throw new Error(`${name}: ${JSON.stringify(res.body.errors)}`);
    return res.body.data[name];
  }

  async must(name: Parameters<ClaimDesk['run']>[0], token: string, input: Record<string, unknown>) {
    const payload = await this.run(name, token, input);
    if (payload.userErrors.length) throw new Error(`${name} failed: ${JSON.stringify(payload.userErrors)}`);
    return payload.claim!;
  }

  /** A SUBMITTED claim of the enterprise on the policy; its id. */
  async submitted(token: string, policyId: string, requestedAmount = '100000.00'): Promise<string> {
    const claim = await this.must('submitFundClaim', token, { policyId, requestedAmount, statement: CLAIM_STATEMENT });
    return claim.id;
  }

  approve(token: string, claimId: string, approvedAmount: string, comment = '材料齐全，同意兑现') {
    return this.run('reviewFundClaim', token, { claimId, decision: 'APPROVE', approvedAmount, comment });
  }

  reject(token: string, claimId: string, comment = '材料不全，不予兑现') {
    return this.run('reviewFundClaim', token, { claimId, decision: 'REJECT', comment });
  }

  async publicize(token: string, input: { policyId: string; claimIds: string[]; days: number }) {
    const res = await this.server.gql(
      `mutation($input: PublicizeFundClaimsInput!) {
        publicizeFundClaims(input: $input) { claims { ${CLAIM_FIELDS} } userErrors { field code message } }
      }`,
      { input },
      { token },
    );
    if (res.body.errors) throw new Error(`publicizeFundClaims: ${JSON.stringify(res.body.errors)}`);
    return res.body.data.publicizeFundClaims as {
      claims: Record<string, any>[];
      userErrors: ClaimPayload['userErrors'];
    };
  }

  /** Approved for the amount asked (default) and publicised for `days`; the claim id. */
  async publicized(regulatorToken: string, policyId: string, claimId: string, amount: string, days = 7) {
    const approved = await this.approve(regulatorToken, claimId, amount);
    if (approved.userErrors.length) throw new Error(`approve failed: ${JSON.stringify(approved.userErrors)}`);
    const shown = await this.publicize(regulatorToken, { policyId, claimIds: [claimId], days });
    if (shown.userErrors.length) throw new Error(`publicize failed: ${JSON.stringify(shown.userErrors)}`);
    return claimId;
  }
}
