import { randomUUID } from 'node:crypto';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { ACCESS_RULES } from '../../src/auth/access-rules';
import { Role } from '../../src/entities/enums';
import { buildAppSchema } from '../../src/schema/build-schema';
import { startTestServer, type TestServer } from '../support/test-server';

/** A value of the right shape for any input type, so the call gets past validation to the guard. */
function sample(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sample(type.ofType);
  if (isListType(type)) return [sample(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0].value;
  if (isInputObjectType(type)) {
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((f) => isNonNullType(f.type))
        .map((f) => [f.name, sample(f.type)]),
    );
  }
  if (isScalarType(type)) {
    return (
      {
        ID: randomUUID(),
        String: 'matrix',
        Int: 1,
        Float: 1,
        Boolean: true,
        Date: '2020-01-01',
        Decimal: '1',
      } as Record<string, unknown>
    )[type.name];
  }
  throw new Error(`no sample for ${String(type)}`);
}

function operationFor(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>) {
  const required = field.args.filter((a) => isNonNullType(a.type));
  const declared = required.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const passed = required.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = isObjectType(getNamedType(field.type)) ? ' { __typename }' : '';
  return {
    query: `${kind}${declared ? `(${declared})` : ''} { ${field.name}${passed ? `(${passed})` : ''}${selection} }`,
    variables: Object.fromEntries(required.map((a) => [a.name, sample(a.type)])),
  };
}

const ROLES = [null, Role.ENTERPRISE, Role.BANK, Role.REGULATOR, Role.ADMIN] as const;

let server: TestServer;
let schema: GraphQLSchema;
let tokens: Record<Role, string>;

beforeAll(async () => {
  server = await startTestServer();
  schema = await buildAppSchema();
  const world = await server.fixtures.getWorld();
  tokens = {
    [Role.ENTERPRISE]: world.enterprise.token,
    [Role.BANK]: world.bank.token,
    [Role.REGULATOR]: world.regulator.token,
    [Role.ADMIN]: world.admin.token,
  };
});
afterAll(() => server.close());

const roots = () =>
  (['query', 'mutation'] as const).flatMap((kind) => {
    const type = kind === 'query' ? schema.getQueryType() : schema.getMutationType();
    return Object.values(type?.getFields() ?? {}).map((field) => ({
      kind,
      field,
      coordinate: `${type!.name}.${field.name}`,
    }));
  });

test('every root field admits exactly the roles its rule declares', async () => {
  const outcomes: string[] = [];
  const expected: string[] = [];
  for (const { kind, field, coordinate } of roots()) {
    const rule = ACCESS_RULES[coordinate];
    const { query, variables } = operationFor(kind, field);
    for (const role of ROLES) {
      const res = await server.gql(query, variables, role ? { token: tokens[role] } : {});
      const code = res.body.errors?.find((e) => e.path?.[0] === field.name || !e.path)?.extensions?.code;
      const refused = code === 'UNAUTHENTICATED' || code === 'FORBIDDEN' ? code : 'admitted';
      outcomes.push(`${coordinate} as ${role ?? 'anonymous'}: ${refused}`);
      const admitted =
        rule?.kind === 'public' || (role !== null && rule?.kind === 'roles' && rule.roles.includes(role));
      expected.push(
        `${coordinate} as ${role ?? 'anonymous'}: ${admitted ? 'admitted' : role === null ? 'UNAUTHENTICATED' : 'FORBIDDEN'}`,
      );
    }
  }
  expect(outcomes).toEqual(expected);
  // The matrix really covered the schema: every implemented root field, five viewers each.
  expect(outcomes.length).toBe(roots().length * ROLES.length);
});

test('an API key is refused where the rule is session-only', async () => {
  const world = await server.fixtures.getWorld();
  const created = await server.gql(
    'mutation { createApiKey(input: { name: "matrix" }) { secret userErrors { code } } }',
    {},
    { token: world.bank.token },
  );
  const apiKey = created.body.data.createApiKey.secret;
  const res = await server.gql('mutation { createApiKey(input: { name: "again" }) { secret } }', {}, { apiKey });
  expect(res.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
});

/**
 * The registry itself, pinned to DESIGN.md's access table for the fields built so far: a rule
 * widened by mistake fails here even though the guard enforces it faithfully.
 */
test('the registry matches the access table of DESIGN.md', () => {
  const P = 'public';
  const expected: Record<string, string | Role[]> = {
    'Query.me': P,
    'Query.institutions': P,
    'Query.departments': P,
    'Query.enterprise': P,
    'Query.enterprises': [Role.ENTERPRISE, Role.BANK, Role.REGULATOR, Role.ADMIN],
    'Query.myEnterprise': [Role.ENTERPRISE],
    'Query.myInstitution': [Role.BANK],
    'Query.myApiKeys': [Role.BANK],
    'Mutation.login': P,
    'Mutation.refreshToken': P,
    'Mutation.logout': P,
    'Mutation.registerEnterprise': P,
    'Mutation.createApiKey': [Role.BANK],
    'Mutation.revokeApiKey': [Role.BANK],
    'Mutation.createInstitution': [Role.ADMIN],
    'Mutation.createDepartment': [Role.ADMIN],
    'Mutation.createUser': [Role.ADMIN],
    'Mutation.updateEnterpriseProfile': [Role.ENTERPRISE],
    // credit data, evaluation and consent
    'Query.creditReport': [Role.ENTERPRISE, Role.BANK, Role.REGULATOR],
    'Query.creditRecords': [Role.ENTERPRISE, Role.REGULATOR],
    'Query.creditModels': [Role.REGULATOR],
    'Query.activeCreditModel': [Role.ENTERPRISE, Role.BANK, Role.REGULATOR, Role.ADMIN],
    'Query.creditCommitments': P,
    'Query.riskWarnings': [Role.BANK, Role.REGULATOR],
    'Mutation.grantCreditAuthorization': [Role.ENTERPRISE],
    'Mutation.revokeCreditAuthorization': [Role.ENTERPRISE],
    'Mutation.signCreditCommitment': [Role.ENTERPRISE],
    'Mutation.verifyEnterprise': [Role.REGULATOR],
    'Mutation.importCreditRecords': [Role.REGULATOR],
    'Mutation.evaluateEnterprise': [Role.REGULATOR],
    'Mutation.createCreditModel': [Role.REGULATOR],
    'Mutation.activateCreditModel': [Role.REGULATOR],
    // the financial supermarket
    'Query.loanProducts': P,
    'Query.loanProduct': P,
    'Query.scheduleQuote': P,
    'Query.recommendedProducts': [Role.ENTERPRISE],
    'Mutation.createLoanProduct': [Role.BANK],
    'Mutation.updateLoanProduct': [Role.BANK],
    'Mutation.publishLoanProduct': [Role.BANK],
    'Mutation.unpublishLoanProduct': [Role.BANK],
    'Query.demands': [Role.ENTERPRISE, Role.BANK, Role.REGULATOR],
    'Query.demand': [Role.ENTERPRISE, Role.BANK, Role.REGULATOR],
    'Mutation.publishDemand': [Role.ENTERPRISE],
    'Mutation.withdrawDemand': [Role.ENTERPRISE],
    // offers, loans and the guarantee fund
    'Query.offers': [Role.ENTERPRISE, Role.BANK, Role.REGULATOR],
    'Query.loans': [Role.ENTERPRISE, Role.BANK, Role.REGULATOR],
    'Query.loan': [Role.ENTERPRISE, Role.BANK, Role.REGULATOR],
    'Query.guaranteeFunds': [Role.REGULATOR],
    'Mutation.makeOffer': [Role.BANK],
    'Mutation.withdrawOffer': [Role.BANK],
    'Mutation.acceptOffer': [Role.ENTERPRISE],
    'Mutation.grantCredit': [Role.BANK],
    'Mutation.declineLoan': [Role.BANK],
    'Mutation.disburseLoan': [Role.BANK],
    'Mutation.recordRepayment': [Role.BANK],
    'Mutation.markLoanOverdue': [Role.BANK],
    'Mutation.claimCompensation': [Role.BANK],
    'Mutation.createGuaranteeFund': [Role.REGULATOR],
    // policies
    'Query.policies': P,
    'Query.policy': P,
    'Query.matchedPolicies': [Role.ENTERPRISE],
    'Mutation.createPolicy': [Role.REGULATOR],
    'Mutation.publishPolicy': [Role.REGULATOR],
    'Mutation.closePolicy': [Role.REGULATOR],
    // fund claims (政策兑现) and their public notices (公示)
    'Query.fundClaims': [Role.ENTERPRISE, Role.REGULATOR],
    'Query.fundClaim': [Role.ENTERPRISE, Role.REGULATOR],
    'Query.publicClaimNotices': P,
    'Mutation.submitFundClaim': [Role.ENTERPRISE],
    'Mutation.withdrawFundClaim': [Role.ENTERPRISE],
    'Mutation.reviewFundClaim': [Role.REGULATOR],
    'Mutation.publicizeFundClaims': [Role.REGULATOR],
    'Mutation.disburseFundClaim': [Role.REGULATOR],
    // whitelists and dispatch
    'Query.whitelists': [Role.REGULATOR],
    'Query.dispatches': [Role.BANK, Role.REGULATOR],
    'Mutation.uploadWhitelist': [Role.REGULATOR],
    'Mutation.dispatchWhitelist': [Role.REGULATOR],
    'Mutation.respondToDispatch': [Role.BANK],
    // webhooks for bank systems (docs/webhooks.md)
    'Query.webhookEndpoints': [Role.BANK],
    'Query.webhookDeliveries': [Role.BANK],
    'Mutation.createWebhookEndpoint': [Role.BANK],
    'Mutation.updateWebhookEndpoint': [Role.BANK],
    'Mutation.pauseWebhookEndpoint': [Role.BANK],
    'Mutation.resumeWebhookEndpoint': [Role.BANK],
    'Mutation.deleteWebhookEndpoint': [Role.BANK],
    'Mutation.rotateWebhookSecret': [Role.BANK],
    'Mutation.redeliverWebhook': [Role.BANK],
    'Mutation.sendTestWebhook': [Role.BANK],
    // articles (风险提示, notices)
    'Query.articles': P,
    'Query.article': P,
    'Mutation.publishArticle': [Role.REGULATOR],
    // statistics
    'Query.platformStatistics': [Role.REGULATOR],
    'Query.publicStatistics': P,
    // audit trail
    'Query.auditEvents': [Role.REGULATOR, Role.ADMIN],
    // live updates (enforced over graphql-ws in subscriptions.test.ts)
    'Subscription.demandPublished': [Role.BANK],
    'Subscription.offerReceived': [Role.ENTERPRISE],
    'Subscription.loanUpdated': [Role.ENTERPRISE, Role.BANK],
    'Subscription.fundClaimUpdated': [Role.ENTERPRISE, Role.REGULATOR],
  };
  const actual = Object.fromEntries(
    Object.keys(expected).map((k) => {
      const rule = ACCESS_RULES[k];
      return [k, rule?.kind === 'roles' ? [...rule.roles] : rule?.kind];
    }),
  );
  expect(actual).toEqual(expected);
});
