// `npm run test:e2e`: the editor tests in code-server, driven by headless
// Chromium. First the extension-host suite (test/vscode/suite, the same one
// @vscode/test-electron runs), then UI tests that use the workbench as a
// person would and save a screenshot of each step under test-results/e2e/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildExtensionAndSuite, makeWorkspace, root, suiteEntry } from '../vscode/prepare.js';
import { ensureCodeServer, startCodeServer, type RunningCodeServer } from './code-server.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Flags that keep Chromium off the network (this machine has none) and working as root. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** Screenshots of the UI tests, the suite's report and the workbench's log (git-ignored). */
export const results = join(root, 'test-results', 'e2e');
const suiteReport = join(results, 'extension-host-suite.txt');
const workbenchLog = join(results, 'workbench.log');

let server: RunningCodeServer | undefined;
let browser: Browser | undefined;

function running(): { server: RunningCodeServer; browser: Browser } {
  assert.ok(server && browser, 'code-server and Chromium are running');
  return { server, browser };
}

/** The workbench URL for a folder; `payload` carries the extension under development (and, for the suite, its tests). */
function workbenchUrl(folder: string, tests?: string): string {
  const { server } = running();
  const remote = (path: string): string => `vscode-remote://127.0.0.1:${server.port}${path}`;
  const payload: [string, string][] = [
    ['extensionDevelopmentPath', remote(root)],
    ['skipWelcome', 'true'],
  ];
  if (tests) payload.push(['extensionTestsPath', remote(tests)]);
  return `${server.url}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

before(
  async () => {
    const entry = ensureCodeServer();
    await buildExtensionAndSuite();
    rmSync(results, { recursive: true, force: true });
    mkdirSync(results, { recursive: true });
    server = await startCodeServer(entry, { VERBATIM_TEST_REPORT: suiteReport });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  },
  { timeout: 20 * 60_000 },
);

after(async () => {
  await browser?.close();
  await server?.stop();
});

describe('inside the extension host (code-server)', () => {
  test('the extension-host suite passes', { timeout: 5 * 60_000 }, async () => {
    const { browser } = running();
    const context: BrowserContext = await browser.newContext();
    const page: Page = await context.newPage();
    let finish: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => (finish = resolve));
    await page.exposeFunction('codeAutomationExit', (code: number) => finish(code));
    // The workbench's own log (offline look-ups of the extension gallery are expected noise) goes to a file.
    await page.exposeFunction('codeAutomationLog', (level: string, message: string) => appendFileSync(workbenchLog, `[${level}] ${message}\n`));
    await page.goto(workbenchUrl(makeWorkspace('e2e-host'), suiteEntry));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const code = await Promise.race([
      exited,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('the extension-host suite did not finish within 4 minutes')), 4 * 60_000))),
    ]);
    clearTimeout(timer);
    await context.close();
    console.log(existsSync(suiteReport) ? readFileSync(suiteReport, 'utf8') : `(the suite wrote no report; see ${workbenchLog})`);
    assert.equal(code, 0, `the extension-host suite reported failures (its report is above; the workbench log is ${workbenchLog})`);
  });
});

describe('the editor as a person uses it (code-server)', () => {
  let context: BrowserContext | undefined;
  let page: Page;

  const shot = async (name: string): Promise<void> => {
    await page.screenshot({ path: join(results, `${name}.png`) });
  };

  before(async () => {
    const { browser } = running();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    await page.goto(workbenchUrl(makeWorkspace('e2e-ui')));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  });

  after(async () => {
    await context?.close();
  });

  test('explore', { timeout: 120_000 }, async () => {
    await page.locator('.explorer-folders-view').waitFor({ timeout: 30_000 });
    await shot('0-start');
    const rows = await page.locator('.explorer-folders-view .monaco-list-row').evaluateAll((els) => els.map((e) => [e.getAttribute('aria-label'), e.getAttribute('role'), e.textContent]));
    console.log(JSON.stringify(rows));
  });
});
