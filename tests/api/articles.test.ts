import { randomUUID } from 'node:crypto';
import type { World } from '../support/fixtures';
import { startTestServer, type GraphQLResponse, type TestServer } from '../support/test-server';

let server: TestServer;
let world: World;
beforeAll(async () => {
  server = await startTestServer();
  world = await server.fixtures.getWorld();
});
afterAll(() => server.close());

const PUBLISH = `mutation($input: PublishArticleInput!) {
  publishArticle(input: $input) {
    article { id title body category publishedAt department { id name } }
    userErrors { field code message }
  }
}`;
const ARTICLES = `query($category: ArticleCategory, $first: Int, $after: String) {
  articles(category: $category, first: $first, after: $after) {
    totalCount
    nodes { id title category publishedAt }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}`;
const ARTICLE = `query($id: ID!) { article(id: $id) { id title body category department { id name } } }`;

async function publish(input: Record<string, unknown>, token = world.regulator.token) {
  const res = await server.gql(PUBLISH, { input }, { token });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.publishArticle;
}

/** Publishes one article a second after the previous one, so "newest first" has one answer. */
async function publishInOrder(inputs: Record<string, unknown>[]): Promise<string[]> {
  const ids: string[] = [];
  for (const input of inputs) {
    server.clock.advance(1000);
    const { article, userErrors } = await publish(input);
    expect(userErrors).toEqual([]);
    ids.push(article.id);
  }
  return ids;
}

describe('publishArticle', () => {
  test('a regulator publishes in the name of its department, with an audit event', async () => {
    const { article, userErrors } = await publish({
      title: '  关于防范非法集资的风险提示  ',
      body: '近期有不法分子冒用平台名义……',
      category: 'RISK_ALERT',
    });
    expect(userErrors).toEqual([]);
    expect(article).toMatchObject({
      title: '关于防范非法集资的风险提示',
      body: '近期有不法分子冒用平台名义……',
      category: 'RISK_ALERT',
      department: { id: world.departmentA.id, name: world.departmentA.name },
    });
    expect(article.publishedAt).toMatch(/\+08:00$/);
    expect(Math.abs(new Date(article.publishedAt).getTime() - server.clock.now().getTime())).toBeLessThan(5000);

    const [row] = await server.sql('select department_id, author_id from article where id = ?', [article.id]);
    expect(row).toEqual({ department_id: world.departmentA.id, author_id: world.regulator.user.id });
    const audit = await server.sql(
      "select actor_id, actor_role, target_type from audit_event where action = 'publishArticle' and target_id = ?",
      [article.id],
    );
    expect(audit).toEqual([{ actor_id: world.regulator.user.id, actor_role: 'REGULATOR', target_type: 'Article' }]);
  });

  test('bad text comes back at its fields, and nothing is written', async () => {
    const before = await server.sql('select count(*)::int as n from article');
    const tooShort = await publish({ title: ' x ', body: '   ', category: 'NOTICE' });
    expect(tooShort.article).toBeNull();
    expect(tooShort.userErrors.map((e: { field: string[]; code: string }) => [e.field.join('.'), e.code])).toEqual([
      ['input.title', 'INVALID'],
      ['input.body', 'INVALID'],
    ]);
    const tooLong = await publish({ title: '题'.repeat(201), body: '文'.repeat(20_001), category: 'NOTICE' });
    expect(tooLong.userErrors.map((e: { field: string[] }) => e.field.join('.'))).toEqual([
      'input.title',
      'input.body',
    ]);
    // The limits themselves are allowed (characters, not bytes).
    const atLimits = await publish({ title: '题'.repeat(200), body: '文'.repeat(20_000), category: 'NOTICE' });
    expect(atLimits.userErrors).toEqual([]);
    const shortest = await publish({ title: '公告', body: '文', category: 'NOTICE' });
    expect(shortest.userErrors).toEqual([]);
    const after = await server.sql('select count(*)::int as n from article');
    expect(after[0].n).toBe(before[0].n + 2);
    const audits = await server.sql("select count(*)::int as n from audit_event where action = 'publishArticle'");
    expect(audits[0].n).toBe(after[0].n);
  });

  test('an unknown category is refused by the schema', async () => {
    const res = await server.gql(
      PUBLISH,
      { input: { title: '标题', body: '正文', category: 'GOSSIP' } },
      { token: world.regulator.token },
    );
    expect(res.body.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  test('anonymous is UNAUTHENTICATED; enterprises, banks and the operator are FORBIDDEN', async () => {
    const input = { title: '不应发布', body: '正文', category: 'NOTICE' };
    const anonymous = await server.gql(PUBLISH, { input });
    expect(anonymous.body.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    for (const token of [world.enterprise.token, world.bank.token, world.admin.token]) {
      const res = await server.gql(PUBLISH, { input }, { token });
      expect(res.body.errors?.[0].extensions.code).toBe('FORBIDDEN');
      expect(res.body.data?.publishArticle ?? null).toBeNull();
    }
    const [row] = await server.sql("select count(*)::int as n from article where title = '不应发布'");
    expect(row.n).toBe(0);
  });
});

describe('reading articles', () => {
  let ids: string[];
  beforeAll(async () => {
    await server.sql('delete from article');
    // Oldest to newest: three risk alerts among notices and news.
    ids = await publishInOrder([
      { title: '风险提示一', body: '正文', category: 'RISK_ALERT' },
      { title: '通知一', body: '正文', category: 'NOTICE' },
      { title: '风险提示二', body: '正文', category: 'RISK_ALERT' },
      { title: '政策解读一', body: '正文', category: 'POLICY_NEWS' },
      { title: '风险提示三', body: '正文', category: 'RISK_ALERT' },
    ]);
  });

  test('anyone, signed in or not, lists them newest first', async () => {
    for (const token of [undefined, world.enterprise.token, world.bank.token, world.admin.token]) {
      const res = await server.gql(ARTICLES, {}, { token });
      expect(res.body.errors).toBeUndefined();
      const { nodes, totalCount, pageInfo } = res.body.data.articles;
      expect(nodes.map((n: { id: string }) => n.id)).toEqual([...ids].reverse());
      expect(totalCount).toBe(5);
      expect(pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
    }
  });

  test('the category filter keeps one category, still newest first', async () => {
    const res = await server.gql(ARTICLES, { category: 'RISK_ALERT' });
    const { nodes, totalCount } = res.body.data.articles;
    expect(nodes.map((n: { title: string }) => n.title)).toEqual(['风险提示三', '风险提示二', '风险提示一']);
    expect(totalCount).toBe(3);
    const none = await server.gql(ARTICLES, { category: 'CASE_STUDY' });
    expect(none.body.data.articles).toMatchObject({ nodes: [], totalCount: 0 });
  });

  test('pages follow each other without gaps or repeats', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const res: GraphQLResponse = await server.gql(ARTICLES, { first: 2, after });
      expect(res.body.errors).toBeUndefined();
      const { nodes, pageInfo, totalCount } = res.body.data.articles;
      expect(totalCount).toBe(5);
      expect(pageInfo.hasPreviousPage).toBe(after !== null);
      seen.push(...nodes.map((n: { id: string }) => n.id));
      pages += 1;
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());

    // Paging inside a category.
    const first = await server.gql(ARTICLES, { category: 'RISK_ALERT', first: 2 });
    const rest = await server.gql(ARTICLES, {
      category: 'RISK_ALERT',
      first: 2,
      after: first.body.data.articles.pageInfo.endCursor,
    });
    expect(rest.body.data.articles.nodes.map((n: { title: string }) => n.title)).toEqual(['风险提示一']);
    expect(rest.body.data.articles.pageInfo.hasNextPage).toBe(false);
  });

  test('a bad page size or cursor is BAD_USER_INPUT', async () => {
    expect((await server.gql(ARTICLES, { first: 0 })).body.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    expect((await server.gql(ARTICLES, { first: 101 })).body.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    expect((await server.gql(ARTICLES, { after: 'nonsense' })).body.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  test('article(id) for anyone; unknown and malformed ids are null', async () => {
    const res = await server.gql(ARTICLE, { id: ids[1] });
    expect(res.body.data.article).toEqual({
      id: ids[1],
      title: '通知一',
      body: '正文',
      category: 'NOTICE',
      department: { id: world.departmentA.id, name: world.departmentA.name },
    });
    for (const id of [randomUUID(), 'not-a-uuid']) {
      const missing = await server.gql(ARTICLE, { id }, { token: world.enterprise.token });
      expect(missing.body.errors).toBeUndefined();
      expect(missing.body.data.article).toBeNull();
    }
  });

  test('an article whose department is gone has department null', async () => {
    const id = randomUUID();
    await server.sql(
      "insert into article (id, title, body, category, published_at) values (?, '历史公告', '正文', 'NOTICE', now() - interval '1 year')",
      [id],
    );
    const res = await server.gql(ARTICLE, { id });
    expect(res.body.data.article).toMatchObject({ id, department: null });
  });

  test('departments of a page are loaded in one batch', async () => {
    const query = `{ articles(first: 5) { nodes { id department { id name } } } }`;
    const res = await server.gql(query);
    expect(res.body.errors).toBeUndefined();
    // The page, then one batched department lookup (totalCount is not selected).
    expect(res.sqlStatements).toBeLessThanOrEqual(2);
  });
});
