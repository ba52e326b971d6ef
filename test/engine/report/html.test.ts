import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { parseHTML } from 'linkedom';
import { checkNote } from '../../../server/src/engine/check.js';
import { loadTextCorpus } from '../../../server/src/engine/corpus/load.js';
import type { Corpus } from '../../../server/src/engine/corpus/corpus.js';
import { REPORT_POLICY, verificationReport, type ReportNote } from '../../../server/src/engine/report/html.js';
import { reportRequest } from '../../../server/src/lsp/protocol.js';
import { bundledCorpus, claimChecker, corpusDir, root } from '../../helpers.js';
import { LspTestClient, uriOf } from '../../lsp-client.js';

/** The few DOM members the tests read (linkedom's own types are the browser's, which this project does not load). */
interface PageElement {
  readonly textContent: string;
  readonly className: string;
  getAttribute(name: string): string | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement>;
  closest(selector: string): PageElement | null;
}

interface Page extends Pick<PageElement, 'querySelector' | 'querySelectorAll'> {
  readonly title: string;
  readonly body: PageElement;
}

function pageOf(html: string): Page {
  return (parseHTML(html) as unknown as { document: Page }).document;
}

const examplePath = join(root, 'examples', 'russia-and-the-taliban.md');

function reportOf(corpus: Corpus, notes: { path: string; text: string }[]): string {
  const checker = claimChecker(corpus);
  const checked: ReportNote[] = notes.map(({ path, text }) => ({ path, result: checkNote(corpus, text, { checker }) }));
  return verificationReport(checked, { corpus: 'corpus' });
}

/** The tile at the top of the page with this label (given in the plural; a tile of 1 says it in the singular). */
function figure(html: string, label: string): number {
  const document = pageOf(html);
  const singular = (words: string): string => words.replace(/s\b/gu, '');
  const found = [...document.querySelectorAll('.summary .figure')].find((f) => singular(f.querySelector('.label')?.textContent ?? '') === singular(label));
  assert.ok(found, `no figure "${label}"`);
  const value = Number(found.querySelector('.value')?.textContent);
  assert.equal(found.querySelector('.label')?.textContent, value === 1 ? singular(label) : label, 'a tile of 1 is singular, any other plural');
  return value;
}

/** How many quotation cards the page shows under each verdict group. */
function groupCounts(html: string): Record<string, number> {
  const document = pageOf(html);
  const counts: Record<string, number> = {};
  for (const card of document.querySelectorAll('article.quotation')) {
    const group = card.closest('details')?.className.replace('group g-', '') ?? 'none';
    counts[group] = (counts[group] ?? 0) + 1;
  }
  return counts;
}

/** Every src and href in the page. */
function links(html: string): string[] {
  const document = pageOf(html);
  return [...document.querySelectorAll('[src], [href]')].map((e) => e.getAttribute('src') ?? e.getAttribute('href') ?? '');
}

describe('verification report of the example note', () => {
  test('the figures equal what the checks report for the same note', () => {
    const text = readFileSync(examplePath, 'utf8');
    const corpus = bundledCorpus();
    const diagnostics = checkNote(corpus, text, { checker: claimChecker(corpus) }).diagnostics;
    const reported = (code: string): number => diagnostics.filter((d) => d.code === code).length;
    const html = reportOf(corpus, [{ path: 'examples/russia-and-the-taliban.md', text }]);
    assert.equal(figure(html, 'changed'), reported('quote-mismatch'));
    assert.equal(figure(html, 'wrong source'), reported('quote-wrong-source'));
    assert.equal(figure(html, 'not found'), reported('quote-not-found'));
    assert.equal(figure(html, 'uncited quotations'), reported('quote-uncited'));
    assert.equal(figure(html, 'unsupported claims'), reported('claim-unsupported'));
    assert.equal(figure(html, 'uncited claims'), reported('claim-uncited'));
    // The example's own comments: two changed, two from the wrong source, one not found, one uncited.
    assert.deepEqual([figure(html, 'changed'), figure(html, 'wrong source'), figure(html, 'not found'), figure(html, 'uncited quotations')], [2, 2, 1, 1]);
    const total = figure(html, 'quotations checked');
    const groups = groupCounts(html);
    assert.equal(Object.values(groups).reduce((a, b) => a + b, 0), total);
    assert.equal(groups.verified, figure(html, 'verbatim'));
    assert.equal(groups['quote-mismatch'], 2);
    // The source's words that something else is wrong with are not counted verbatim: each flag shows on its card.
    const flags = ['quote-misattributed', 'quote-distorted', 'locator-mismatch'].map(reported).reduce((a, b) => a + b, 0);
    assert.ok(flags >= 2, 'the example has a misattribution and a wrong locator');
    assert.equal(figure(html, 'verbatim but flagged'), flags);
    assert.equal(groups.flagged, flags);
    const flagged = [...pageOf(html).querySelectorAll('details.g-flagged .problems')].map((list) => list.textContent);
    assert.ok(flagged.some((t) => t.includes('quote-misattributed') && t.includes('The source gives these words to Lavrov, not Kabulov')), flagged.join('\n'));
    assert.ok(flagged.some((t) => t.includes('locator-mismatch')), flagged.join('\n'));
  });

  test('a changed quotation shows the note’s word struck out and the source’s word inserted, with file, line and locator', () => {
    const text = readFileSync(examplePath, 'utf8');
    const html = reportOf(bundledCorpus(), [{ path: 'examples/russia-and-the-taliban.md', text }]);
    const document = pageOf(html);
    const line = text.slice(0, text.indexOf('"at most 50 kilometres')).split('\n').length;
    const card = [...document.querySelectorAll('article.v-quote-mismatch')].find((c) => c.textContent.includes('at most 50'));
    assert.ok(card, 'the kilometres quotation is in the Changed group');
    assert.equal(card.querySelector('.where')?.textContent, `examples/russia-and-the-taliban.md:${line}`);
    assert.match(card.querySelector('.locators')?.textContent ?? '', /@korybko2021, ¶ 6/);
    assert.deepEqual([...card.querySelectorAll('.sides figure:first-child del')].map((d) => d.textContent), ['kilometres']);
    assert.deepEqual([...card.querySelectorAll('.sides figure:last-child ins')].map((d) => d.textContent), ['kilometers']);
    assert.ok([...card.querySelectorAll('.sides figure:last-child mark')].some((m) => m.textContent.includes('at most 50')));
  });
});

describe('diagnostics on the quotation they are about', () => {
  test('two misattributions in one paragraph each go with their own quotation, the second speaker named nearer the first quotation', () => {
    const text =
      'Kabulov said that "all of this is not good, it’s wrong" [@korybko2021, ¶ 5], while Lavrov said that "his country isn’t considering evacuating its embassy in Kabul" [@korybko2021, ¶ 5].\n';
    const document = pageOf(reportOf(bundledCorpus(), [{ path: 'notes/envoys.md', text }]));
    const problemsOf = (words: string): string[] => {
      const card = [...document.querySelectorAll('article.quotation')].find((c) => c.querySelector('.sides figure:first-child')?.textContent.includes(words));
      assert.ok(card, `a card for "${words}"`);
      return [...card.querySelectorAll('.problems li')].map((li) => li.textContent);
    };
    assert.deepEqual(problemsOf('all of this is not good'), ['quote-misattributed The source gives these words to Lavrov, not Kabulov (korybko2021 ¶ 5)']);
    assert.deepEqual(problemsOf('his country isn’t considering'), ['quote-misattributed The source gives these words to Kabulov, not Lavrov (korybko2021 ¶ 5)']);
  });
});

/** A corpus of two seed articles and a hostile one, written into a fresh folder. */
function seedCorpus(): { dir: string; corpus: Corpus; seed: string } {
  const dir = mkdtempSync(join(tmpdir(), 'verbatim-report-corpus-'));
  copyFileSync(join(corpusDir, 'korybko2021.txt'), join(dir, 'seeda.txt'));
  copyFileSync(join(corpusDir, 'anon2021.txt'), join(dir, 'seedb.txt'));
  writeFileSync(join(dir, 'hostile.txt'), `A Hostile Page\n\n${HOSTILE_SOURCE}\n`);
  return { dir, corpus: loadTextCorpus(dir), seed: readFileSync(join(dir, 'seeda.txt'), 'utf8') };
}

const HOSTILE_SOURCE =
  `Before <script>document.title='pwned'</script> it closes </textarea> and "><img src=x onerror=alert(1)> ` +
  `then <a href="javascript:alert(2)">a link</a> and <meta http-equiv="refresh" content="0;url=https://example.com/"> the words end here.`;

const SEED_NOTE = [
  '# Reading Korybko',
  '',
  'Korybko: "it would be wise for the Kremlin to ask the Taliban to hold off on capturing the capital" [@seeda, ¶ 2].',
  '',
  'He adds that "it would be smart for the Kremlin to ask the Taliban to hold off on capturing the capital" [@seeda].',
  '',
  'Not his: "The Taliban captured over half of Afghanistan’s regional capitals in a single week" [@seedb].',
  '',
  'Invented: "the moon over Kabul is made of green cheese and always was" [@seeda].',
  '',
  'Uncited: "exerts control over territory equivalent to at least half the size of Texas".',
  '',
  'Cut: "it would be wise for the Kremlin . . . to consider resigning" [@seeda].',
  '',
  'The Bolivian senate voted 41 to 12 against the lithium treaty in March 1997.',
  '',
  'The page says "Before \\<script\\>document.title=\'pwned\'\\</script\\> it closes" [@hostile] and <script>document.title=\'pwned\'</script> [`javascript:alert(3)`](javascript:alert(3)) "></textarea><img src=x onerror=alert(4)>.',
  '',
].join('\n');

/** The note's path as the report shows it: hostile too. */
const HOSTILE_PATH = 'notes/"><img src=x onerror=alert(5)>.md';

describe('verification report of notes on the seeds', () => {
  let html: string;
  before(() => {
    const { corpus } = seedCorpus();
    html = reportOf(corpus, [{ path: HOSTILE_PATH, text: SEED_NOTE }]);
  });

  test('each verdict is counted and shown in its group', () => {
    assert.equal(figure(html, 'quotations checked'), 7);
    assert.equal(figure(html, 'verbatim'), 3, 'the exact quotation, the one cut by an ellipsis and the hostile page’s words');
    assert.equal(figure(html, 'changed'), 1);
    assert.equal(figure(html, 'wrong source'), 1);
    assert.equal(figure(html, 'not found'), 1);
    assert.equal(figure(html, 'uncited quotations'), 1);
    assert.equal(figure(html, 'uncited claims'), 1);
    assert.deepEqual(groupCounts(html), { verified: 3, 'quote-mismatch': 1, 'quote-wrong-source': 1, 'quote-not-found': 1, 'quote-uncited': 1 });
    const document = pageOf(html);
    const verdicts = [...document.querySelectorAll('article.quotation .verdict')].map((v) => v.textContent);
    for (const verdict of ['Verbatim', 'Verbatim, altered by convention (omission or brackets)', 'Changed', 'From another source', 'Not found in any source', 'Uncited; found in the corpus']) {
      assert.ok(verdicts.includes(verdict), `no "${verdict}" in ${verdicts.join(' | ')}`);
    }
    // What the ellipsis leaves out is shown as the source's words the note does not give.
    const cut = [...document.querySelectorAll('article.quotation')].find((c) => c.querySelector('.verdict')?.textContent.startsWith('Verbatim, altered'));
    assert.match(cut?.querySelector('.sides figure:last-child ins')?.textContent ?? '', /hold off on capturing the capital while also asking Ghani/);
    assert.match(document.querySelector('.claim')?.textContent ?? '', /Bolivian senate voted 41 to 12/);
  });

  test('hostile source and note text appears only as text', () => {
    const document = pageOf(html);
    assert.equal(document.querySelectorAll('script, img, iframe, object, embed, form, textarea, base').length, 0);
    const metas = [...document.querySelectorAll('meta[http-equiv]')];
    assert.deepEqual(
      metas.map((m) => [m.getAttribute('http-equiv'), m.getAttribute('content')]),
      [['Content-Security-Policy', REPORT_POLICY]],
    );
    for (const raw of ['<script', '<img', '</textarea', '<meta http-equiv="refresh"', 'href="javascript', "href='javascript"]) {
      assert.ok(!html.toLowerCase().includes(raw.toLowerCase()), `raw "${raw}" in the page`);
    }
    const body = document.body.textContent;
    assert.ok(body.includes(`<script>document.title='pwned'</script> it closes </textarea> and "><img src=x onerror=alert(1)>`), 'the source passage, as text');
    assert.ok(body.includes(HOSTILE_PATH), 'the note’s path, as text');
    const hostileCard = [...document.querySelectorAll('article.quotation')].find((c) => c.querySelector('.locators')?.textContent.includes('@hostile'));
    assert.equal(hostileCard?.querySelector('.sides figure:first-child blockquote')?.textContent, "Before <script>document.title='pwned'</script> it closes", 'the note’s words, as text');
    assert.ok(body.includes('<meta http-equiv="refresh"'), 'the source’s meta tag, as text');
    for (const link of links(html)) assert.match(link, /^#note-\d+$/u, `a link that leaves the page: ${link}`);
  });

  test('the policy forbids everything but the page’s own style, which it admits by hash', () => {
    assert.match(REPORT_POLICY, /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*';/u);
    assert.doesNotMatch(REPORT_POLICY, /unsafe|script-src|https?:/u);
    const document = pageOf(html);
    const styles = [...document.querySelectorAll('style')];
    assert.equal(styles.length, 1);
    assert.equal(document.querySelectorAll('[style]').length, 0, 'no style attributes: the hash does not admit them');
    const hash = createHash('sha256').update(styles[0].textContent, 'utf8').digest('base64');
    assert.ok(REPORT_POLICY.includes(`'sha256-${hash}'`));
    assert.match(styles[0].textContent, /@media print/u);
  });
});

const chromium = '/usr/bin/chromium';
const chromiumSkip = existsSync(chromium)
  ? false
  : process.env.VERBATIM_REQUIRE_CHROMIUM === '1'
    ? false
    : `${chromium} is not installed (set VERBATIM_REQUIRE_CHROMIUM=1 to make this a failure)`;

/** Headless Chromium on a file, with a profile of its own and nothing that reaches the network. */
function runChromium(page: string, ...args: string[]): string {
  assert.ok(existsSync(chromium), `${chromium} is required (VERBATIM_REQUIRE_CHROMIUM=1) but not installed`);
  const profile = mkdtempSync(join(tmpdir(), 'verbatim-report-chromium-'));
  const result = spawnSync(
    chromium,
    ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', `--user-data-dir=${profile}`, ...args, `file://${page}`],
    { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
  );
  assert.equal(result.status, 0, `chromium failed: ${result.stderr}`);
  return result.stdout;
}

/** A PNG's size, and how many distinct byte values its (filtered) pixel rows hold: a blank page has a handful. */
function readPng(file: string): { width: number; height: number; distinctBytes: number } {
  const png = readFileSync(file);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG signature');
  const data: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    if (png.toString('latin1', at + 4, at + 8) === 'IDAT') data.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), distinctBytes: new Set(inflateSync(Buffer.concat(data))).size };
}

describe('the report in headless Chromium', { skip: chromiumSkip }, () => {
  let page: string;
  let work: string;
  before(() => {
    const { corpus } = seedCorpus();
    work = mkdtempSync(join(tmpdir(), 'verbatim-report-page-'));
    page = join(work, 'report.html');
    writeFileSync(page, reportOf(corpus, [{ path: HOSTILE_PATH, text: SEED_NOTE }]));
  });

  test('the page renders: a screenshot of the expected size that is not blank', () => {
    const shot = join(work, 'report.png');
    runChromium(page, `--screenshot=${shot}`, '--window-size=1200,2000');
    const png = readPng(shot);
    assert.equal(png.width, 1200);
    assert.equal(png.height, 2000);
    assert.ok(png.distinctBytes > 32, `the screenshot looks blank (${png.distinctBytes} distinct byte values)`);
  });

  test('the rendered DOM holds the summary, ran no script, and kept the hostile markup as text', () => {
    const dom = runChromium(page, '--dump-dom');
    const document = pageOf(dom);
    assert.match(document.querySelector('.summary')?.textContent ?? '', /7\s*quotations checked/u);
    assert.equal(document.title, 'Verification report: 1 note', 'the hostile script did not set the title');
    assert.equal(document.querySelectorAll('script, img, textarea').length, 0);
    assert.equal(document.querySelectorAll('meta[http-equiv="refresh"]').length, 0);
    assert.ok(document.body.textContent.includes(`<script>document.title='pwned'</script>`));
  });
});

describe('verbatim report (command line)', () => {
  let work: string;
  before(() => {
    execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root });
    work = mkdtempSync(join(tmpdir(), 'verbatim-report-cli-'));
  });
  const run = (args: string[], cwd = root) => {
    const cacheHome = join(work, 'cache');
    mkdirSync(cacheHome, { recursive: true });
    return spawnSync(process.execPath, [join(root, 'bin', 'verbatim.js'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: cacheHome } });
  };

  test('writes the page for the example note and names what it holds', () => {
    const output = join(work, 'example.html');
    const result = run(['report', '--corpus', 'corpus', '-o', output, 'examples']);
    assert.equal(result.status, 0, result.stderr);
    const html = readFileSync(output, 'utf8');
    const quotations = figure(html, 'quotations checked');
    assert.equal(result.stdout, `${output}: 1 note, ${quotations} quotations\n`);
    assert.match(html, /<h2>examples\/russia-and-the-taliban\.md<\/h2>/u);
    assert.equal(figure(html, 'changed'), 2);
  });

  test('-o - writes the page to standard output', () => {
    const result = run(['report', '--corpus', 'corpus', '-o', '-', 'examples/russia-and-the-taliban.md']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^<!DOCTYPE html>/u);
  });

  test('usage errors exit 2 and point at the help', () => {
    const missing = run(['report', '--corpus', 'no-such-corpus', 'examples']);
    assert.equal(missing.status, 2);
    assert.equal(missing.stderr, 'verbatim: Corpus folder not found: no-such-corpus\nRun "verbatim report --help" for its options.\n');
    const unknown = run(['report', '--ouput', 'x.html']);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /^verbatim: Unknown option --ouput; did you mean --output\?/u);
    const help = run(['report', '--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /verbatim report \[--corpus DIR\] \[-o FILE\]/u);
  });
});

describe('the report from the language server (verbatim/report)', () => {
  let client: LspTestClient;
  let folder: string;
  before(async () => {
    execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root });
    folder = mkdtempSync(join(tmpdir(), 'verbatim-report-lsp-'));
    cpSync(corpusDir, join(folder, 'corpus'), { recursive: true });
    client = LspTestClient.start();
    await client.initialize(folder);
  });
  after(() => client.stop());

  test('an open note’s report is the page the engine makes of the same text', async () => {
    const text = readFileSync(examplePath, 'utf8');
    const path = join(folder, 'notes', 'example.md');
    await client.open(path, text);
    const html = await client.connection.sendRequest(reportRequest, { uri: uriOf(path) });
    assert.ok(html !== null);
    assert.equal(html, reportOf(bundledCorpus(), [{ path: 'notes/example.md', text }]).replace('<p>Corpus: <code>corpus</code></p>', ''));
    assert.equal(figure(html, 'changed'), 2);
  });

  test('a document that is not an open note has no report', async () => {
    assert.equal(await client.connection.sendRequest(reportRequest, { uri: uriOf(join(folder, 'nowhere.md')) }), null);
  });
});
