import { EXAMPLE_ROLES, loadExamples, type ExampleOperation, type ExampleRole } from './example-operations';

/**
 * The IDE's opening tabs: one per role, holding that role's examples from docs/examples (the first
 * tab, public, starts with the guide to signing in). GraphiQL titles a tab with its first operation's
 * name, which is why example operations are named <Role><Task>. Each tab's Variables pane holds the
 * variables of all its operations (a name means one thing within a role; a test checks), so any
 * operation in it runs once its `$from:` placeholders are replaced.
 */

export interface IdeTab {
  query: string;
  variables: string | null;
  headers: string;
}

const GUIDE = `# 信易贷 GraphQL API: example operations, one tab per role (docs/examples/ in the repository).
#
# Sign in: run PublicLogin below (its variables are already in the Variables pane; the demo logins
# are in the README, password demo-password-1), copy data.login.accessToken and put it in the
# Headers pane:
#   {"Authorization": "Bearer <accessToken>"}
# The other tabs already hold that header for their role's demo user: sign in as that user and
# paste the token there. Tokens last 15 minutes (PublicRefreshToken gets a new one).
# Bank systems use an API key instead (BankCreateApiKey in the bank tab):
#   {"Authorization": "Bearer cel_…"}  or  {"X-Api-Key": "cel_…"}
#
# In variables, "$from:<role>/<task>:<path>" is the value at <path> of that example's result (run it
# first and paste it); "$today", "$today+90" are dates (YYYY-MM-DD). Pick an operation with the run
# button's menu, or put the cursor in it and press Ctrl-Enter.
`;

const SIGN_IN: Record<Exclude<ExampleRole, 'public'>, string> = {
  enterprise: 'ENTERPRISE',
  bank: 'BANK',
  regulator: 'REGULATOR',
  admin: 'ADMIN',
};

/** Shown when docs/examples is not deployed next to the server. */
const FALLBACK_QUERY = `mutation PublicLogin($login: String!, $password: String!) {
  login(input: { login: $login, password: $password }) {
    accessToken
    expiresAt
    refreshToken
    user { id login role }
    userErrors { field message code }
  }
}
`;

/**
 * A placeholder is refused as a malformed credential until it is replaced, so the public tab (whose
 * operations need no sign-in) starts with no header at all.
 */
function headersFor(login: string | null): string {
  return login ? JSON.stringify({ Authorization: `Bearer <the accessToken of ${login}>` }, null, 2) : '';
}

function mergedVariables(examples: ExampleOperation[]): string | null {
  const merged: Record<string, unknown> = {};
  for (const e of examples) for (const [k, v] of Object.entries(e.variables)) if (!(k in merged)) merged[k] = v;
  return Object.keys(merged).length ? JSON.stringify(merged, null, 2) : null;
}

export function ideTabs(examples: ExampleOperation[] = loadExamples()): IdeTab[] {
  if (!examples.length) {
    return [
      {
        query: `${GUIDE}\n${FALLBACK_QUERY}`,
        variables: JSON.stringify({ login: 'demo-enterprise', password: 'demo-password-1' }, null, 2),
        headers: '',
      },
    ];
  }
  return EXAMPLE_ROLES.flatMap((role) => {
    const ofRole = examples.filter((e) => e.role === role);
    if (!ofRole.length) return [];
    const login = ofRole.find((e) => e.signInAs)?.signInAs ?? null;
    const intro =
      role === 'public'
        ? GUIDE
        : `# ${SIGN_IN[role]} examples, as ${login}: run PublicLogin in the first tab with "login": "${login}",\n` +
          `# then put its accessToken in the Headers pane below.\n`;
    return [
      {
        query: [intro, ...ofRole.map((e) => e.source.trimEnd())].join('\n') + '\n',
        variables: mergedVariables(ofRole),
        headers: headersFor(role === 'public' ? null : login),
      },
    ];
  });
}
