import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ideTabs, type IdeTab } from './graphiql-tabs';

/**
 * Offline GraphiQL IDE. Everything the page needs is served from node_modules under
 * /graphiql-assets/, because the deployment has no internet access and the page must not
 * reference any external host (no CDN, no web fonts: graphiql's CSS inlines its fonts as
 * data: URIs, and graphiql 4.x uses CodeMirror 5, so there are no monaco workers to load).
 */

/** What a tab the user opens starts with; the example tabs come from ideTabs(). */
export const GRAPHIQL_NEW_TAB_QUERY = `# A new tab: write an operation here (Ctrl-Space completes, Ctrl-Enter runs).
# The other tabs hold the example operations of each role and how to sign in.
`;

/**
 * New tabs send no Authorization header: a placeholder would be refused as a malformed credential
 * (UNAUTHENTICATED) and break even public queries. The role tabs carry their own placeholder.
 */
export const GRAPHIQL_DEFAULT_HEADERS = '';

/**
 * CSP for the page (the route serving graphiqlPage() must send it). No inline script is
 * needed: the bootstrap lives in /graphiql-assets/init.js and the config is a non-executed
 * JSON <script>. Styles need 'unsafe-inline' because GraphiQL/Radix inject <style> tags;
 * fonts and a few icons are data: URIs in graphiql.css. ws:/wss: are for subscriptions.
 */
export const GRAPHIQL_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Bootstrap script. The globals come from the UMD builds: React and ReactDOM (react 18 UMD)
 * and GraphiQL (graphiql's UMD reads window.React / window.ReactDOM and exposes
 * GraphiQL.createFetcher, which bundles graphql-ws for `subscriptionUrl`). Subscriptions use
 * the same path as the HTTP endpoint; the Headers editor content is sent as connectionParams.
 */
const INIT_JS = `(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('graphiql-config').textContent);
  var url = new URL(config.endpoint, window.location.href);
  var wsUrl = new URL(url.href);
  wsUrl.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  var fetcher = GraphiQL.createFetcher({ url: url.href, subscriptionUrl: wsUrl.href });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      // One tab per role with its example operations (used when no tabs are stored from an earlier visit).
      defaultTabs: config.tabs,
      defaultQuery: config.newTabQuery,
      defaultHeaders: config.headers,
      isHeadersEditorEnabled: true,
      // Tokens are not written to localStorage unless the user opts in via settings.
      shouldPersistHeaders: false,
      showPersistHeadersSettings: true,
      defaultEditorToolsVisibility: 'headers',
    }),
  );
})();
`;

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** Files inside an installed package. The packages' "exports" maps hide these paths from
 * require.resolve, so resolve each package.json (which is exported) and join from there. */
function packageFile(pkg: string, file: string): () => Buffer {
  return () => readFileSync(join(dirname(require.resolve(`${pkg}/package.json`)), file));
}

interface AssetSpec {
  contentType: string;
  load: () => Buffer;
}

/** The allow-list: the only files /graphiql-assets/ will ever serve. */
const ASSETS: Readonly<Record<string, AssetSpec>> = {
  'react.js': { contentType: JS, load: packageFile('react', 'umd/react.production.min.js') },
  'react-dom.js': {
    contentType: JS,
    load: packageFile('react-dom', 'umd/react-dom.production.min.js'),
  },
  'graphiql.js': { contentType: JS, load: packageFile('graphiql', 'dist/index.umd.js') },
  'graphiql.css': { contentType: CSS, load: packageFile('graphiql', 'dist/style.css') },
  'init.js': { contentType: JS, load: () => Buffer.from(INIT_JS, 'utf8') },
};

/** Load order matters: GraphiQL's UMD reads window.React/ReactDOM at evaluation time. */
const PAGE_SCRIPTS = ['react.js', 'react-dom.js', 'graphiql.js', 'init.js'] as const;

interface LoadedAsset {
  body: Buffer;
  contentType: string;
  version: string;
}

const cache = new Map<string, LoadedAsset>();

function loadAsset(file: string): LoadedAsset | undefined {
  if (!Object.hasOwn(ASSETS, file)) return undefined;
  let asset = cache.get(file);
  if (!asset) {
    const spec = ASSETS[file]!;
    // Drop the trailing sourceMappingURL so devtools don't request a .map we don't serve.
    let body = spec.load();
    if (spec.contentType === JS) {
      body = Buffer.from(body.toString('utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'));
    }
    const version = createHash('sha256').update(body).digest('hex').slice(0, 12);
    asset = { body, contentType: spec.contentType, version };
    cache.set(file, asset);
  }
  return asset;
}

/** Content-hashed URL, so the year-long immutable cache is safe across upgrades. */
function assetUrl(file: string): string {
  const asset = loadAsset(file);
  if (!asset) throw new Error(`graphiql asset not in allow-list: ${file}`);
  return `/graphiql-assets/${file}?v=${asset.version}`;
}

export function registerGraphiqlAssets(app: FastifyInstance): void {
  app.get<{ Params: { file: string } }>('/graphiql-assets/:file', async (request, reply) => {
    const asset = loadAsset(request.params.file);
    if (!asset) return reply.code(404).type('text/plain; charset=utf-8').send('Not Found');
    return reply
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .type(asset.contentType)
      .send(asset.body);
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON for a <script> block: escaping <, > and & means `</script>` or `<!--` in the data
 * can never end the element early; U+2028/2029 are escaped for older JS parsers. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

let tabs: IdeTab[] | undefined;

/** Read from docs/examples once, on the first page served: the files do not change under a running server. */
function exampleTabs(): IdeTab[] {
  tabs ??= ideTabs();
  return tabs;
}

export function graphiqlPage(options: { endpoint: string; title?: string }): string {
  const title = escapeHtml(options.title ?? '信易贷 GraphQL IDE');
  const config = {
    endpoint: options.endpoint,
    tabs: exampleTabs(),
    newTabQuery: GRAPHIQL_NEW_TAB_QUERY,
    headers: GRAPHIQL_DEFAULT_HEADERS,
  };
  const scripts = PAGE_SCRIPTS.map((file) => `    <script src="${escapeHtml(assetUrl(file))}"></script>`).join('\n');
  return `<!doctype html>
<html lang="zh-CN">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="referrer" content="no-referrer" />
    <title>${title}</title>
    <!-- An empty icon: otherwise the browser asks for /favicon.ico and logs the 404 as an error. -->
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="${escapeHtml(assetUrl('graphiql.css'))}" />
    <style>
      html, body, #graphiql { height: 100%; margin: 0; overflow: hidden; }
    </style>
  </head>
  <body>
    <div id="graphiql">Loading…</div>
    <script type="application/json" id="graphiql-config">${jsonForScript(config)}</script>
${scripts}
  </body>
</html>
`;
}
