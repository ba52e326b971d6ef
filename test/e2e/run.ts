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
const results = join(root, 'test-results', 'e2e');
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
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`);
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
    await page.screenshot({ path: join(results, `${name}.png`), animations: 'disabled' });
  };

  /** A UI step: when it fails, a screenshot of the page as it was goes beside the others. */
  const uiTest = (name: string, body: () => Promise<void>): void => {
    test(name, { timeout: 60_000 }, async () => {
      try {
        await body();
      } catch (error) {
        await shot(`failed-${name.replace(/\W+/g, '-')}`).catch(() => undefined);
        throw error;
      }
    });
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

  uiTest('opens the example note from the Explorer', async () => {
    const explorer = page.locator('.explorer-folders-view');
    await explorer.getByRole('treeitem', { name: 'examples' }).click();
    await explorer.getByRole('treeitem', { name: 'russia-and-the-taliban.md' }).click();
    await page.locator('.tab.active', { hasText: 'russia-and-the-taliban.md' }).waitFor();
    await page.locator('.monaco-editor .view-lines', { hasText: 'Russia and the Taliban, August 2021' }).waitFor();
    // The extension activated for the note and its server reported the corpus in the status bar.
    await page.locator('.statusbar-item', { hasText: '5 sources · 87 ¶' }).waitFor({ timeout: 30_000 });
    // The load's progress is shown where VS Code shows a language server's progress (the status bar), never as a pop-up.
    assert.equal(await page.locator('.notification-toast', { hasText: 'Verbatim: loading the corpus' }).count(), 0);
    await shot('1-example-note-opened');
  });

  uiTest('the Problems panel lists Verbatim’s diagnostics for the note', async () => {
    await page.keyboard.press('Control+Shift+M');
    const panel = page.locator('.markers-panel');
    await panel.locator('.monaco-list-row', { hasText: 'Quotation differs from korybko2021 ¶ 6' }).waitFor({ timeout: 30_000 });
    // Speakers are read once the English tagger has loaded, after the first diagnostics.
    await panel.locator('.monaco-list-row', { hasText: 'The source gives these words to Lavrov' }).waitFor({ timeout: 30_000 });
    // One row per diagnostic: "message / source / code / [Ln, Col]", under a row for the file with its count.
    // The list draws only the rows in view: read them, scroll to the end, and read again.
    const seen = new Map<string, string[]>();
    const readRows = async (): Promise<void> => {
      for (const text of await panel.locator('.monaco-list-row').allInnerTexts()) seen.set(text, text.split('\n'));
    };
    await readRows();
    await panel.locator('.monaco-list').hover();
    await page.mouse.wheel(0, 2000);
    await readRows();
    const rows = [...seen.values()];
    const problems = rows.filter((row) => row[1] === 'verbatim');
    assert.deepEqual(problems.map((row) => row[2]).sort(), expectedCodes());
    assert.equal(rows.length, problems.length + 1, 'nothing but Verbatim’s problems and the file row');
    assert.match(rows[0].join(' '), new RegExp(`russia-and-the-taliban\\.md.*${problems.length}$`));
    await shot('2-problems-panel');
  });

  uiTest('hovering a changed quotation shows the source passage and the word diff', async () => {
    // Clicking the problem takes the editor to it; then the panel is closed for room, and the line scrolled down so the hover fits above it.
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'Quotation differs from korybko2021 ¶ 6' }).click();
    await page.locator('.editor-group-container.active .monaco-editor .view-line', { hasText: 'kilometres' }).waitFor();
    await page.locator('.part.panel').getByRole('checkbox', { name: /^Hide Panel/ }).click();
    await page.locator('.part.panel').waitFor({ state: 'hidden' });
    await page.keyboard.press('ArrowLeft');
    for (let i = 0; i < 12; i++) await page.keyboard.press('Control+ArrowUp');
    const word = await wordBox(page, 'kilometres');
    await page.mouse.move(word.x + word.width / 2, word.y + word.height / 2);
    const hover = page.locator('.monaco-hover', { hasText: 'korybko2021 ¶ 6' });
    await hover.waitFor({ timeout: 30_000 });
    const markdown = hover.locator('.rendered-markdown');
    assert.match(await markdown.locator('p').first().innerText(), /^Changed — korybko2021 ¶ 6$/);
    // The source paragraph, the quoted words in bold.
    assert.equal(await markdown.locator('blockquote strong').innerText(), 'at most 50 kilometers away from the capital');
    assert.match(await markdown.innerText(), /Interpreting Russia’s Reaction to the Taliban’s Rapid Takeover of Afghanistan — Andrew Korybko/);
    // The word diff: the note's word struck out, the source's in bold.
    const change = markdown.locator('li', { hasText: 'kilometres' });
    assert.equal(await change.locator('del').innerText(), 'kilometres');
    assert.equal(await change.locator('strong').innerText(), 'kilometers');
    await shot('3-hover-changed-quotation');
    // A close-up for a person to judge the hover by: the editor's width, from the line above the hover to below the quotation.
    const [widget, editor] = await Promise.all([hover.boundingBox(), page.locator('.editor-group-container.active').boundingBox()]);
    assert.ok(widget && editor);
    const above = Math.ceil((word.y - (widget.y - 12)) / word.height);
    const top = Math.max(editor.y, word.y - above * word.height);
    const closeUp = { x: editor.x, y: top, width: editor.width, height: Math.min(editor.y + editor.height, word.y + word.height + 48) - top };
    await page.screenshot({ path: join(results, '3-hover-closeup.png'), clip: closeUp, animations: 'disabled' });
    // The hover is taller than VS Code lets it grow: scroll it, as a person would, until the diff is in view.
    const content = hover.locator('.monaco-hover-content');
    const contentBox = await content.boundingBox();
    assert.ok(contentBox);
    await page.mouse.move(contentBox.x + contentBox.width / 2, contentBox.y + contentBox.height / 2);
    await page.mouse.wheel(0, 600);
    await until('the word diff to scroll into the hover', async () => {
      const [li, visible] = await Promise.all([change.boundingBox(), content.boundingBox()]);
      return li !== null && visible !== null && li.y + li.height <= visible.y + visible.height;
    });
    await page.screenshot({ path: join(results, '4-hover-scrolled-to-diff.png'), clip: closeUp, animations: 'disabled' });
  });

  uiTest('a quick fix from the light bulb restores the source’s wording', async () => {
    await page.keyboard.press('Escape');
    const quoted = await wordBox(page, 'kilometres');
    await page.mouse.click(quoted.x + quoted.width / 2, quoted.y + quoted.height / 2);
    // The status bar's problem counts, "Errors: N, Warnings: N".
    const problems = page.locator('[id="status.problems"]');
    const counts = async (): Promise<string> => (await problems.getAttribute('aria-label')) ?? '';
    const before = /^Errors: (\d+), Warnings: (\d+)$/.exec(await counts());
    assert.ok(before, await counts());
    // With text under the cursor, VS Code puts the light bulb in the gutter; the "auto-fix" icon means a preferred fix.
    const bulb = page.locator('.editor-group-container.active .monaco-editor').locator('[class*="codicon-gutter-lightbulb-auto-fix"], .lightBulbWidget .codicon-lightbulb-autofix').first();
    await bulb.waitFor({ timeout: 30_000 });
    await bulb.click();
    const menu = page.locator('.action-widget');
    await menu.waitFor();
    assert.deepEqual((await menu.innerText()).split('\n'), ['Quick Fix', 'Restore the source\'s wording: "kilometers"', 'Ignore this quotation']);
    await shot('5-light-bulb-menu');
    // The menu lays a pointer block over the page until the mouse moves; move onto the item first, as a hand would.
    const item = menu.getByText('Restore the source\'s wording');
    const itemBox = await item.boundingBox();
    assert.ok(itemBox);
    await page.mouse.move(itemBox.x + 5, itemBox.y + itemBox.height / 2);
    await page.mouse.move(itemBox.x + 10, itemBox.y + itemBox.height / 2);
    await item.click();
    await page.locator('.editor-group-container.active .view-line', { hasText: 'Korybko places the Taliban "at most 50 kilometers away from the capital"' }).waitFor();
    // The server checked the edited note again: one warning fewer, and the quotation's hover now says it is verbatim.
    const after = `Errors: ${before[1]}, Warnings: ${Number(before[2]) - 1}`;
    await until(`the status bar to count ${after}`, async () => (await counts()) === after);
    const fixed = await wordBox(page, 'kilometers', 'Korybko places the Taliban');
    await page.mouse.move(fixed.x + fixed.width / 2, fixed.y + fixed.height / 2);
    await page.locator('.monaco-hover .rendered-markdown p', { hasText: /^Verbatim — korybko2021 ¶ 6$/ }).waitFor({ timeout: 30_000 });
    await shot('6-after-quick-fix');
  });

  uiTest('Verbatim: Open Verification Report shows the note’s report in a webview', async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const palette = page.locator('.quick-input-widget');
    await palette.locator('input').fill('>Verbatim: Open Verification Report');
    await palette.locator('.monaco-list-row', { hasText: 'Verbatim: Open Verification Report' }).first().click();
    // A webview is an iframe holding the page's own frame.
    const report = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await report.locator('.summary', { hasText: 'quotations checked' }).waitFor({ timeout: 30_000 });
    assert.equal(await report.locator('h2').first().innerText(), join('examples', 'russia-and-the-taliban.md'));
    // The report is of the note as it is now: the quotation the quick fix restored is verbatim.
    await report.locator('details.g-verified article', { hasText: 'at most 50 kilometers away from the capital' }).waitFor();
    assert.equal(await report.locator('details.g-quote-mismatch article', { hasText: 'at most 50' }).count(), 0);
    // The page's own style applied under its policy: the figures stand side by side, as they do only when it is.
    const [first, second] = await Promise.all([report.locator('.figure').nth(0).boundingBox(), report.locator('.figure').nth(1).boundingBox()]);
    assert.ok(first && second);
    assert.equal(first.y, second.y);
    assert.ok(second.x > first.x);
    await shot('7-verification-report');
  });

  uiTest('a corpus source shows its quoted paragraphs; the hover on a quoted span leads to the quoting note', async () => {
    const explorer = page.locator('.explorer-folders-view');
    await explorer.getByRole('treeitem', { name: 'corpus', exact: true }).click();
    await explorer.getByRole('treeitem', { name: 'korybko2021.txt' }).click();
    await page.locator('.tab.active', { hasText: 'korybko2021.txt' }).waitFor();
    // Room to read the source: its editor group alone, without the side bar, its long paragraphs wrapped.
    await page.keyboard.press('Control+B');
    await runCommand(page, 'View: Toggle Maximize Editor Group');
    await runCommand(page, 'View: Toggle Word Wrap');
    const editor = page.locator('.editor-group-container.active .monaco-editor');
    // ¶ 2 opens the article with the words both notes quote from ¶ 10: its CodeLens counts them.
    await editor.locator('.codelens-decoration', { hasText: 'quoted in 2 notes' }).first().waitFor({ timeout: 30_000 });
    await shot('8-source-with-quoted-passages');
    const word = await wordBox(page, 'Kremlin', 'it would be wise for the Kremlin');
    await page.mouse.move(word.x + word.width / 2, word.y + word.height / 2);
    const hover = page.locator('.monaco-hover', { hasText: 'Quoted in 2 notes' });
    await hover.waitFor({ timeout: 30_000 });
    const links = hover.locator('.rendered-markdown a');
    assert.deepEqual(await links.allInnerTexts(), ['examples/russia-and-the-taliban.md, line 14', 'notes/quotations.md, line 3']);
    await shot('9-source-hover');
    const [widget, editorBox] = await Promise.all([hover.boundingBox(), page.locator('.editor-group-container.active').boundingBox()]);
    assert.ok(widget && editorBox);
    const top = Math.max(editorBox.y, widget.y - 8);
    await page.screenshot({
      path: join(results, '9-source-hover-closeup.png'),
      clip: { x: editorBox.x, y: top, width: editorBox.width, height: Math.min(editorBox.y + editorBox.height, word.y + word.height * 4) - top },
      animations: 'disabled',
    });
    // Following the link opens the note at the quotation.
    await links.filter({ hasText: 'notes/quotations.md' }).click();
    await page.locator('.tab.active', { hasText: 'quotations.md' }).waitFor();
    await page.locator('.editor-group-container.active .monaco-editor .view-line', { hasText: 'Korybko argues that "it would be wise' }).waitFor();
    // The cursor is on the quotation's line: the status bar says so.
    await page.locator('.statusbar-item', { hasText: /^Ln 3, Col 22/ }).waitFor();
  });
});

/** Runs a command from the palette, by its title. */
async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const palette = page.locator('.quick-input-widget');
  await palette.locator('input').fill(`>${title}`);
  await palette.locator('.monaco-list-row', { hasText: title }).first().click();
  await palette.waitFor({ state: 'hidden' });
}

/** The codes the example note's own `<!-- expect: … -->` comments announce, sorted. */
function expectedCodes(): string[] {
  const note = readFileSync(join(root, 'examples', 'russia-and-the-taliban.md'), 'utf8');
  return [...note.matchAll(/<!-- expect: ([\w\-, ]+?)(?: —.*)? -->/g)].flatMap((m) => m[1].split(',').map((c) => c.trim())).sort();
}

/** Polls the page until `holds` is true: a bounded wait for UI state that has no event to await. */
async function until(what: string, holds: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await holds())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise<void>((resolve) => setTimeout(resolve, 50));
  }
}

/** Where a word is on screen, on the first visible line of the active editor that holds `line` (the editor's font is monospaced). */
async function wordBox(page: Page, word: string, line = word): Promise<{ x: number; y: number; width: number; height: number }> {
  const editorLine = page.locator('.editor-group-container.active .monaco-editor .view-line', { hasText: line }).first();
  const token = editorLine.locator('span[class^="mtk"]', { hasText: word }).first();
  await token.waitFor();
  const [text, box, lineBox] = await Promise.all([token.textContent(), token.boundingBox(), editorLine.boundingBox()]);
  assert.ok(text && box && lineBox, `"${word}" is on screen`);
  const width = box.width / text.length;
  return { x: box.x + text.indexOf(word) * width, y: lineBox.y, width: word.length * width, height: lineBox.height };
}
