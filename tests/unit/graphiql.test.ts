import Fastify, { type FastifyInstance } from 'fastify';
import { GRAPHIQL_CSP, GRAPHIQL_NEW_TAB_QUERY, graphiqlPage, registerGraphiqlAssets } from '../../src/server/graphiql';
import { EXAMPLE_ROLES, loadExamples } from '../../src/server/example-operations';
import { ideTabs, type IdeTab } from '../../src/server/graphiql-tabs';

describe('offline GraphiQL IDE', () => {
  let app: FastifyInstance;
  const html = graphiqlPage({ endpoint: '/graphql' });

  beforeAll(async () => {
    app = Fastify();
    registerGraphiqlAssets(app);
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
  });

  /** Every src/href in the page (script, link, anything). */
  function referencedUrls(page: string): string[] {
    return [...page.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);
  }

  interface PageConfig {
    endpoint: string;
    tabs: IdeTab[];
    newTabQuery: string;
    headers: string;
  }

  function config(page: string): PageConfig {
    const m = /<script type="application\/json" id="graphiql-config">([\s\S]*?)<\/script>/.exec(page);
    expect(m).not.toBeNull();
    return JSON.parse(m![1]!) as PageConfig;
  }

  it('references no external host at all', () => {
    // Only loopback addresses, which the examples use as a local webhook receiver.
    expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1[:/])/);
    expect(html).not.toMatch(/\/\/[a-z0-9.-]+\.(?:com|net|org|io)/i);
    // Only same-origin asset paths, and no inline executable script (CSP has no unsafe-inline).
    for (const url of referencedUrls(html)) expect(url).toMatch(/^\/graphiql-assets\/|^data:,$/);
    const scriptTags = html.match(/<script\b[^>]*>/g) ?? [];
    for (const tag of scriptTags) expect(tag).toMatch(/\bsrc="|type="application\/json"/);
    expect(GRAPHIQL_CSP).toMatch(/script-src 'self'(;|$)/);
  });

  it('embeds the endpoint, one tab per role from docs/examples and no default header as JSON config', () => {
    const cfg = config(html);
    expect(cfg.endpoint).toBe('/graphql');
    expect(cfg.newTabQuery).toBe(GRAPHIQL_NEW_TAB_QUERY);
    // A placeholder Authorization header is refused as malformed, so new tabs send none.
    expect(cfg.headers).toBe('');
    expect(cfg.tabs).toEqual(ideTabs());
    expect(cfg.tabs).toHaveLength(EXAMPLE_ROLES.length);
    // GraphiQL titles a tab by its first operation: the role's name comes first.
    const firstOperations = cfg.tabs.map((t) => /^(?:query|mutation) ([A-Za-z]+)/m.exec(t.query)?.[1]);
    expect(firstOperations).toEqual([
      'PublicLogin',
      expect.stringMatching(/^Enterprise/),
      expect.stringMatching(/^Bank/),
      expect.stringMatching(/^Regulator/),
      expect.stringMatching(/^Admin/),
    ]);
  });

  it('opens with the guide to the Authorization header and runnable login variables in the first tab', () => {
    const [first] = config(html).tabs;
    expect(first!.query).toContain('{"Authorization": "Bearer <accessToken>"}');
    expect(first!.query).toContain('{"X-Api-Key": "cel_…"}');
    expect(JSON.parse(first!.variables!)).toMatchObject({ login: 'demo-enterprise', password: 'demo-password-1' });
    expect(first!.headers).toBe('');
  });

  it('holds every example of a role in its tab, with its demo user’s header and every variable', () => {
    const examples = loadExamples();
    const tabs = ideTabs(examples);
    EXAMPLE_ROLES.forEach((role, i) => {
      const ofRole = examples.filter((e) => e.role === role);
      for (const e of ofRole) expect(tabs[i]!.query).toContain(e.source.trimEnd());
      const variables = JSON.parse(tabs[i]!.variables ?? '{}') as Record<string, unknown>;
      for (const e of ofRole) expect(variables).toMatchObject(e.variables);
      if (role !== 'public')
        expect(JSON.parse(tabs[i]!.headers)).toEqual({
          Authorization: `Bearer <the accessToken of ${ofRole[0]!.signInAs}>`,
        });
    });
  });

  it('falls back to a login tab when docs/examples is not deployed', () => {
    const [only, ...rest] = ideTabs([]);
    expect(rest).toEqual([]);
    expect(only!.query).toContain('mutation PublicLogin');
  });

  it('cannot be broken out of by </script> in the embedded data or title', () => {
    const page = graphiqlPage({
      endpoint: '/graphql</script><script>alert(1)</script>',
      title: '</title><script>alert(1)</script>',
    });
    expect(page).not.toContain('<script>alert(1)');
    expect(config(page).endpoint).toBe('/graphql</script><script>alert(1)</script>');
  });

  it('serves every referenced asset with a JS/CSS content-type and a long cache', async () => {
    const urls = referencedUrls(html).filter((u) => u !== 'data:,'); // the empty favicon
    expect(urls.length).toBeGreaterThanOrEqual(5);
    for (const url of urls) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/(javascript|css); charset=utf-8$/);
      expect(res.headers['cache-control']).toMatch(/max-age=31536000/);
      expect(res.body.length).toBeGreaterThan(100);
    }
    const names = urls.map((u) => new URL(u, 'x:/').pathname);
    expect(names).toEqual(
      expect.arrayContaining([
        '/graphiql-assets/react.js',
        '/graphiql-assets/react-dom.js',
        '/graphiql-assets/graphiql.js',
        '/graphiql-assets/graphiql.css',
        '/graphiql-assets/init.js',
      ]),
    );
  });

  it('returns 404 for anything outside the allow-list', async () => {
    for (const file of ['nope.js', '__proto__', 'constructor', '..%2Fpackage.json', 'index.umd.js.map']) {
      const res = await app.inject({ method: 'GET', url: `/graphiql-assets/${file}` });
      expect(res.statusCode).toBe(404);
    }
  });

  it('served assets do not load anything from external hosts', async () => {
    const externalLoads = [
      /<script[^>]+src=["']?(https?:)?\/\//i,
      /<link[^>]+href=["']?(https?:)?\/\//i,
      /@import\s+(url\()?["']?(https?:)?\/\//i,
      /url\(\s*["']?(https?:)?\/\//i, // graphiql.css inlines fonts/images as data: URIs
      /importScripts\(|new Worker\(/,
      /fonts\.googleapis|fonts\.gstatic|unpkg\.com|cdn\.jsdelivr\.net|cdnjs\.cloudflare/i,
      /sourceMappingURL/,
    ];
    for (const file of ['react.js', 'react-dom.js', 'graphiql.js', 'graphiql.css', 'init.js']) {
      const { body } = await app.inject({ method: 'GET', url: `/graphiql-assets/${file}` });
      // Compare only the offending snippet, not the 1 MB bundle, so failures stay readable.
      for (const re of externalLoads) expect({ file, hit: re.exec(body)?.[0] }).toEqual({ file });
    }
  });

  it('bootstraps GraphiQL with the header editor and a same-path ws subscription URL', async () => {
    const { body } = await app.inject({ method: 'GET', url: '/graphiql-assets/init.js' });
    expect(body).toContain('GraphiQL.createFetcher');
    expect(body).toContain('subscriptionUrl');
    expect(body).toContain('isHeadersEditorEnabled: true');
    expect(body).toContain('defaultHeaders: config.headers');
    expect(body).toContain('defaultTabs: config.tabs');
    expect(body).not.toMatch(/https?:\/\//);
  });
});
