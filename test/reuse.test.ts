import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTextCorpus } from '../server/src/engine/corpus/load.js';
import type { Corpus, Source } from '../server/src/engine/corpus/corpus.js';
import { findReuse, sourceReuseSteps, type ReusePair, type ReuseReport } from '../server/src/engine/reuse/reuse.js';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { corpusDir, fixturesDir, root } from './helpers.js';
import { LspTestClient, uriOf } from './lsp-client.js';

const reuseFixtures = join(fixturesDir, 'reuse');
const bin = join(root, 'bin', 'verbatim.js');
const cacheHome = mkdtempSync(join(tmpdir(), 'verbatim-reuse-cache-'));

/** The bundled corpus plus the reuse fixtures (their bibliography beside the bundled one), in a folder of its own. */
function fixtureCorpus(bibliography = readFileSync(join(reuseFixtures, 'references.json'), 'utf8')): string {
  const dir = mkdtempSync(join(tmpdir(), 'verbatim-reuse-'));
  for (const name of readdirSync(corpusDir)) copyFileSync(join(corpusDir, name), join(dir, name));
  for (const name of readdirSync(reuseFixtures).filter((n) => n.endsWith('.txt'))) copyFileSync(join(reuseFixtures, name), join(dir, name));
  writeFileSync(join(dir, 'fixtures.json'), bibliography);
  return dir;
}

/** The pairs between two sources, as `origin ¶ → copy ¶ kind` strings, in report order. */
function between(report: ReuseReport, a: string, b: string): string[] {
  return report.pairs
    .filter((p) => (p.origin.key === a && p.copy.key === b) || (p.origin.key === b && p.copy.key === a))
    .map((p) => `${p.origin.key} ¶ ${p.origin.paragraph} → ${p.copy.key} ¶ ${p.copy.paragraph} ${p.kind}`);
}

const involving = (report: ReuseReport, key: string): ReusePair[] => report.pairs.filter((p) => p.origin.key === key || p.copy.key === key);

/** One source's reuse, its search run to the end. */
function reuseOf(corpus: Corpus, source: Source): ReusePair[] {
  const steps = sourceReuseSteps(corpus, source);
  for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value;
}

describe('text reuse between sources (engine)', () => {
  let corpus: Corpus;
  let report: ReuseReport;
  before(() => {
    corpus = loadTextCorpus(fixtureCorpus());
    report = findReuse(corpus);
  });

  test("one source's reuse, searched from its own shingles, is the all-pairs report's pairs involving it, in the same order", () => {
    let found = 0;
    for (const source of corpus.sources) {
      const pairs = reuseOf(corpus, source);
      assert.deepEqual(pairs, report.pairs.filter((p) => p.origin.path === source.path || p.copy.path === source.path), source.key);
      found += pairs.length;
    }
    // Every pair is found from each of its two sources.
    assert.equal(found, 2 * report.pairs.length);
    assert.equal(report.pairs.length, 13);
  });

  test('a spun copy of gul2021 is found as paraphrase, paragraph by paragraph, the earlier-dated source as origin', () => {
    assert.deepEqual(between(report, 'gul2021', 'gulspun2021'), [
      // gul2021's standfirst (¶ 2) repeats its ¶ 9, so both pair with the copy's ¶ 5.
      'gul2021 ¶ 2 → gulspun2021 ¶ 5 paraphrased',
      'gul2021 ¶ 5 → gulspun2021 ¶ 2 paraphrased',
      'gul2021 ¶ 7 → gulspun2021 ¶ 3 paraphrased',
      'gul2021 ¶ 8 → gulspun2021 ¶ 4 paraphrased',
      'gul2021 ¶ 9 → gulspun2021 ¶ 5 paraphrased',
      'gul2021 ¶ 13 → gulspun2021 ¶ 6 paraphrased',
    ]);
    for (const pair of involving(report, 'gulspun2021')) {
      assert.equal(pair.direction, 'dates');
      assert.ok(pair.origin.share >= 0.5 && pair.copy.share >= 0.5, `${pair.origin.paragraph}: ${pair.origin.share} / ${pair.copy.share}`);
    }
  });

  test('an article quoting an 18-word sentence of zochowski2021 is found as verbatim reuse of the right paragraphs', () => {
    const pairs = involving(report, 'quoting2021');
    assert.deepEqual(between(report, 'quoting2021', 'zochowski2021'), ['zochowski2021 ¶ 5 → quoting2021 ¶ 3 verbatim']);
    assert.equal(pairs.length, 1);
    const [pair] = pairs;
    assert.equal(pair.longestRun, 18);
    assert.equal(pair.sharedWords, 18);
    assert.equal(pair.runText, 'It has not closed its embassy in Kabul, which has been under the Taliban’s protection since 16 August');
    // zochowski2021 has no date in the bundled bibliography: the quotation marks say who quoted whom.
    assert.equal(pair.direction, 'quotation');
    assert.equal(pair.origin.date, undefined);
    assert.equal(pair.copy.date, '2021-09-02');
  });

  test('anon2021 is paired with the wire story it spins, and with no other source', () => {
    assert.deepEqual(between(report, 'anon2021', 'wire2021'), [
      'anon2021 ¶ 1 → wire2021 ¶ 1 paraphrased',
      'anon2021 ¶ 2 → wire2021 ¶ 2 paraphrased',
      'anon2021 ¶ 3 → wire2021 ¶ 3 paraphrased',
      'anon2021 ¶ 4 → wire2021 ¶ 4 paraphrased',
      'anon2021 ¶ 5 → wire2021 ¶ 5 paraphrased',
      'anon2021 ¶ 7 → wire2021 ¶ 6 paraphrased',
    ]);
    assert.deepEqual(new Set(involving(report, 'anon2021').map((p) => (p.origin.key === 'anon2021' ? p.copy.key : p.origin.key))), new Set(['wire2021']));
    assert.ok(involving(report, 'anon2021').every((p) => p.direction === 'unknown'));
  });

  test('the five bundled sources report the same events but share no text: shingle candidates are compared and rejected', () => {
    const bundled = findReuse(loadTextCorpus(corpusDir));
    assert.ok(bundled.candidates > 0, 'some paragraphs share four-word shingles (e.g. "it remains to be seen")');
    assert.deepEqual(bundled.pairs, []);
  });

  test('the earlier date decides the origin, whatever the corpus order', () => {
    // Dated before gul2021, the spun copy reads as the origin.
    const bibliography = readFileSync(join(reuseFixtures, 'references.json'), 'utf8').replace('[[2021, 7, 20]]', '[[2021, 7, 1]]');
    const redated = findReuse(loadTextCorpus(fixtureCorpus(bibliography)));
    const pairs = between(redated, 'gul2021', 'gulspun2021');
    assert.equal(pairs.length, 6);
    assert.ok(pairs.every((p) => p.startsWith('gulspun2021')), pairs.join('\n'));
  });
});

function run(args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: cacheHome } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface JsonSide {
  key: string;
  path: string;
  date: string | null;
  paragraph: number;
  words: number;
  share: number;
}

interface JsonReuse {
  version: number;
  sources: number;
  candidates: number;
  pairs: { origin: JsonSide; copy: JsonSide; kind: string; direction: string; sharedWords: number; longestRun: number; runText: string | null }[];
}

describe('verbatim reuse (CLI)', () => {
  let corpus: string;
  before(() => {
    execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root });
    corpus = fixtureCorpus();
  });

  test('--format json: every pair with both sides, kind, direction and shared words', () => {
    const { status, stdout } = run(['reuse', '--corpus', corpus, '--format', 'json']);
    assert.equal(status, 0);
    const report = JSON.parse(stdout) as JsonReuse;
    assert.equal(report.version, 1);
    assert.equal(report.sources, 8);
    assert.equal(report.pairs.length, 13);
    const quoted = report.pairs.find((p) => p.copy.key === 'quoting2021');
    assert.deepEqual(quoted, {
      origin: { key: 'zochowski2021', path: join(corpus, 'zochowski2021.txt'), date: null, paragraph: 5, words: 138, share: 0.13 },
      copy: { key: 'quoting2021', path: join(corpus, 'quoting2021.txt'), date: '2021-09-02', paragraph: 3, words: 50, share: 0.36 },
      kind: 'verbatim',
      direction: 'quotation',
      sharedWords: 18,
      longestRun: 18,
      runText: 'It has not closed its embassy in Kabul, which has been under the Taliban’s protection since 16 August',
    });
    const spun = report.pairs.filter((p) => p.copy.key === 'gulspun2021');
    assert.ok(spun.every((p) => p.kind === 'paraphrased' && p.direction === 'dates' && p.origin.date === '2021-07-10' && p.copy.date === '2021-07-20'));
  });

  test('text output: a heading per pair of sources, a line per pair of paragraphs, a summary', () => {
    const { status, stdout } = run(['reuse', '--corpus', corpus]);
    assert.equal(status, 0);
    const lines = stdout.trimEnd().split('\n');
    assert.equal(lines[0], 'gul2021 (2021-07-10) → gulspun2021 (2021-07-20)');
    assert.equal(lines[1], '  ¶ 2 → ¶ 5  paraphrased 15 words shared, 56% of ¶ 2, 52% of ¶ 5');
    assert.ok(lines.includes('anon2021 (undated) ↔ wire2021 (2021-08-18)  (direction unknown: anon2021 undated)'), stdout);
    assert.ok(lines.includes('zochowski2021 (undated) → quoting2021 (2021-09-02)  (zochowski2021 undated; quoting2021 quotes the words)'), stdout);
    assert.ok(lines.includes('  ¶ 5 → ¶ 3  verbatim    18 words shared, 13% of ¶ 5, 36% of ¶ 3'), stdout);
    assert.ok(lines.includes('      longest run, 18 words: “It has not closed its embassy in Kabul, which has been under the Taliban’s protection since 16 August”'), stdout);
    assert.equal(lines[lines.length - 1], `13 pairs of paragraphs in 3 pairs of sources (8 sources, ${(JSON.parse(run(['reuse', '--corpus', corpus, '--format', 'json']).stdout) as JsonReuse).candidates} candidate pairs of paragraphs compared)`);
  });

  test('usage errors exit 2 with a pointer to the help; --help exits 0', () => {
    const format = run(['reuse', '--corpus', corpus, '--format', 'xml']);
    assert.equal(format.status, 2);
    assert.equal(format.stderr, 'verbatim: --format must be "text" or "json", not "xml"\nRun "verbatim reuse --help" for its options.\n');
    const missing = run(['reuse', '--corpus', join(corpus, 'nowhere')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /Corpus folder not found: .*nowhere/u);
    const archive = run(['reuse', '--corpus', 'postgres://reader@localhost/verbatim']);
    assert.equal(archive.status, 2);
    assert.match(archive.stderr, /^verbatim: --corpus must be a folder: reuse does not read a PostgreSQL archive yet\n/u);
    const file = run(['reuse', '--corpus', join(corpus, 'gul2021.txt')]);
    assert.equal(file.status, 2);
    assert.match(file.stderr, /--corpus must be a folder: .*gul2021\.txt is a file/u);
    const help = run(['reuse', '--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage:\n {2}verbatim reuse \[--corpus DIR\] \[--format text\|json\]/u);
  });
});

describe('the hover on a source paragraph names the other sources that carry it (language server)', () => {
  const LIMIT = { timeout: 60000 };
  let folder: string;
  let client: LspTestClient;

  before(async () => {
    execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root });
    folder = mkdtempSync(join(tmpdir(), 'verbatim-reuse-lsp-'));
    const corpus = join(folder, 'corpus');
    mkdirSync(corpus);
    const material = fixtureCorpus();
    for (const name of readdirSync(material)) copyFileSync(join(material, name), join(corpus, name));
    client = LspTestClient.start();
    await client.initialize(folder);
  });

  after(async () => {
    await client.stop();
  });

  /** Opens a corpus source as the editor would and hovers on the first character of its paragraph `n` (a line of its own). */
  async function hoverParagraph(key: string, n: number): Promise<string | null> {
    const path = join(folder, 'corpus', `${key}.txt`);
    const uri = uriOf(path);
    let text: string;
    try {
      text = client.text(uri);
    } catch {
      text = readFileSync(path, 'utf8');
      await client.open(path, text);
    }
    const lines = text.split('\n');
    const line = lines.findIndex((l, i) => l.trim() !== '' && lines.slice(0, i + 1).filter((x) => x.trim() !== '').length === n);
    assert.ok(line >= 0, `${key} has a paragraph ${n}`);
    const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line, character: 3 } });
    if (!hover) return null;
    assert.deepEqual(hover.range, { start: { line, character: 0 }, end: { line, character: lines[line].length } }, 'the range is the paragraph');
    return (hover.contents as MarkupContent).value;
  }

  test('on a paragraph of the spun copy: the source it paraphrases, its paragraph linked, and the earlier-dated origin', LIMIT, async () => {
    const value = await hoverParagraph('gulspun2021', 3);
    assert.ok(value, 'a hover');
    assert.match(value, /^\*\*Text reuse\*\* — ¶ 3 is shared with 1 other source\n/u);
    const gulLine = readFileSync(join(folder, 'corpus', 'gul2021.txt'), 'utf8').split('\n').findIndex((l) => l.startsWith('Evacuation of the Bagram base'));
    const link = `${uriOf(join(folder, 'corpus', 'gul2021.txt'))}#L${gulLine + 1}`;
    assert.ok(value.includes(`- **[gul2021 ¶ 7](${link})** — paraphrased, `), value);
    assert.match(value, /words shared: \d+% of this paragraph, \d+% of ¶ 7; likely origin: \*\*gul2021\*\*, dated 2021\\-07\\-10, before this source \(2021\\-07\\-20\)$/u);
  });

  test('on the quoted paragraph of zochowski2021: the article quoting it, verbatim, with the run; the quotation marks make it the origin', LIMIT, async () => {
    const value = await hoverParagraph('zochowski2021', 5);
    assert.ok(value, 'a hover');
    assert.match(value, /\*\*\[quoting2021 ¶ 3\]\(file:\/\/[^)]+quoting2021\.txt#L5\)\*\* — verbatim, 18 words shared: 13% of this paragraph, 36% of ¶ 3; likely origin: this source — quoting2021 sets the words in quotation marks \(zochowski2021 undated\)/u);
    assert.match(value, /\n {2}> It has not closed its embassy in Kabul, which has been under the Taliban’s protection since 16 August$/u);
    // And from the quoting side.
    const quoting = await hoverParagraph('quoting2021', 3);
    assert.ok(quoting, 'a hover');
    assert.match(quoting, /\*\*\[zochowski2021 ¶ 5\]\([^)]+\)\*\* — verbatim, 18 words shared: 36% of this paragraph, 13% of ¶ 5; likely origin: \*\*zochowski2021\*\* — this source sets the words in quotation marks/u);
  });

  test('on the spun wire story: the direction unknown, and why', LIMIT, async () => {
    const value = await hoverParagraph('anon2021', 7);
    assert.ok(value, 'a hover');
    assert.match(value, /\*\*\[wire2021 ¶ 6\]\([^)]+wire2021\.txt#L11\)\*\* — paraphrased, 41 words shared: 82% of this paragraph, 85% of ¶ 6; origin unknown \(anon2021 undated\)$/u);
  });

  test('an edited source not yet saved has no reuse hover: its offsets are no longer the corpus\'s', LIMIT, async () => {
    assert.ok(await hoverParagraph('gul2021', 7), 'a hover before the edit');
    const uri = uriOf(join(folder, 'corpus', 'gul2021.txt'));
    await client.type(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: 'Draft\n\n' }]);
    const line = client.text(uri).split('\n').findIndex((l) => l.startsWith('Evacuation of the Bagram base'));
    const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line, character: 3 } });
    assert.equal(hover, null);
  });

  test('a paragraph that shares nothing, and a source that shares no text with any other, get no reuse hover', LIMIT, async () => {
    assert.equal(await hoverParagraph('quoting2021', 2), null);
    for (let n = 1; n <= 6; n++) assert.equal(await hoverParagraph('korybko2021', n), null, `korybko2021 ¶ ${n}`);
  });

  test('a source added to the corpus: the open source is searched again, and its paragraph now names it', LIMIT, async () => {
    const korybko = readFileSync(join(folder, 'corpus', 'korybko2021.txt'), 'utf8').split('\n').filter((l) => l.trim() !== '');
    const sentence = korybko[1].split('. ')[0];
    assert.ok(sentence.split(' ').length >= 8, sentence);
    const added = join(folder, 'corpus', 'digest2021.txt');
    writeFileSync(added, `A digest\n\nAn analyst wrote that “${sentence}”, and the advice went unheeded.\n`);
    const reloaded = client.status.next((s) => s.folder === folder && s.sources === 9);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(added), type: 1 }] });
    await reloaded;
    const value = await hoverParagraph('korybko2021', 2);
    assert.ok(value, 'a hover after the reload');
    assert.match(value, /\*\*\[digest2021 ¶ 2\]\([^)]+digest2021\.txt#L3\)\*\* — verbatim, /u);
  });
});
