import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/test-server';

/**
 * The IDE in a real browser: Debian's Chromium, headless, driven by playwright-core. It opens
 * /graphql, types a query into the CodeMirror editor, runs it and reads the result, and checks
 * the role tabs and that the page never asked anything of a host but the server itself.
 *
 * Chromium comes from apt (`.ci/run` installs it). Without it the test is skipped on a developer's
 * machine, with a message, and fails in CI (CI=true), where a skip would hide a broken IDE.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const inCi = ['true', '1'].includes(process.env.CI ?? '');
const present = existsSync(CHROMIUM);
if (!present && !inCi) {
  console.warn(`tests/e2e/ide.test.ts skipped: ${CHROMIUM} is missing (apt-get install -y chromium).`);
}
const suite = present || inCi ? describe : describe.skip;

/** Without the background-networking flags Chromium reaches for Google's hosts at every start. */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

const QUERY = '{ institutions(first: 3) { totalCount nodes { name } } }';

suite('GraphiQL in Chromium', () => {
  let server: TestServer;
  let browser: BrowserContext;
  let page: Page;
  let profile: string;
  const requests: string[] = [];
  const pageProblems: string[] = [];

  beforeAll(async () => {
    if (!present) throw new Error(`${CHROMIUM} is missing: CI must install Chromium (.ci/run does, with apt)`);
    server = await startTestServer();
    await server.fixtures.institution('丹东端到端测试银行');
    profile = mkdtempSync(join(tmpdir(), 'cel-ide-chromium-'));
    // A fresh profile each run (playwright passes it as --user-data-dir): no tabs stored from before.
    browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: FLAGS });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('request', (r) => requests.push(r.url()));
    page.on('websocket', (ws) => requests.push(ws.url()));
    page.on('console', (m) => {
      if (m.type() === 'error') pageProblems.push(m.text());
    });
    page.on('pageerror', (e) => pageProblems.push(e.message));
    // Failed loads the page itself makes; the browser's own favicon request is not among them.
    page.on('response', (r) => {
      if (r.status() >= 400) pageProblems.push(`${r.status()} ${r.url()}`);
    });
    await page.goto(`${server.url}/graphql`, { waitUntil: 'load' });
    await page.locator('.graphiql-query-editor .CodeMirror').first().waitFor();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await server?.close();
  });

  it('opens with one tab of example operations per role, the guide in the first', async () => {
    const titles = await page.locator('.graphiql-tab').allInnerTexts();
    expect(titles.map((t) => t.trim())).toEqual([
      'PublicLogin',
      expect.stringMatching(/^Enterprise/),
      expect.stringMatching(/^Bank/),
      expect.stringMatching(/^Regulator/),
      expect.stringMatching(/^Admin/),
    ]);
    const firstTab = await editorValue(page);
    expect(firstTab).toContain('{"Authorization": "Bearer <accessToken>"}');
    expect(firstTab).toContain('mutation PublicLogin');
  });

  it('runs a query typed into the editor and shows the result', async () => {
    await page.getByRole('button', { name: 'New tab' }).click();
    await page.locator('.graphiql-query-editor .CodeMirror').first().click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type(QUERY);
    // The editor closes brackets as they are typed; typing the closing ones steps over them.
    expect(await editorValue(page)).toBe(QUERY);
    await page.locator('.graphiql-execute-button').click();
    const result = page.locator('section.result-window');
    await result.getByText('"totalCount"').waitFor({ timeout: 20_000 });
    const text = await result.innerText();
    expect(text).toContain('丹东端到端测试银行');
    expect(text).toMatch(/"totalCount": 1\b/);
    expect(text).not.toContain('"errors"');
  });

  it('asked nothing of any host but the server itself', () => {
    const { host } = new URL(server.url);
    // The page, its five assets, the schema's introspection and the query at least.
    expect(requests.length).toBeGreaterThanOrEqual(8);
    expect(requests.filter((url) => url.startsWith(`${server.url}/graphql`)).length).toBeGreaterThanOrEqual(3);
    // The test server listens on 127.0.0.1 only: same host and port means it never left the machine.
    expect(requests.filter((url) => !url.startsWith('data:') && new URL(url).host !== host)).toEqual([]);
  });

  it('logged no console errors and loaded nothing that failed', () => {
    expect(pageProblems).toEqual([]);
  });
});

/**
 * The active query editor's text, read from CodeMirror itself rather than the rendered lines (a
 * string, evaluated in the page, because the project compiles without the DOM's types).
 */
function editorValue(page: Page): Promise<string> {
  return page.evaluate<string>(`(() => {
    const editors = [...document.querySelectorAll('.graphiql-query-editor .CodeMirror')];
    const visible = editors.find((e) => e.offsetParent !== null) ?? editors[0];
    return visible.CodeMirror.getValue();
  })()`);
}
