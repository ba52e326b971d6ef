import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { root } from './helpers.js';
import { LspTestClient, uriOf } from './lsp-client.js';
import { fixtureCorpus } from './reuse-fixtures.js';

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
  test('on a span a note quotes: the quotations first, then the paragraph\'s reuse, in one hover', LIMIT, async () => {
    const note = join(folder, 'notes', 'spun.md');
    mkdirSync(join(folder, 'notes'), { recursive: true });
    const text = 'The copy says the evacuation "got here on the again of consecutive Taliban triumphs" [@gulspun2021].\n';
    writeFileSync(note, text);
    await client.open(note, text);
    const path = join(folder, 'corpus', 'gulspun2021.txt');
    const source = readFileSync(path, 'utf8');
    try {
      client.text(uriOf(path));
    } catch {
      await client.open(path, source);
    }
    const lines = source.split('\n');
    const line = lines.findIndex((l) => l.includes('consecutive Taliban triumphs'));
    const character = lines[line].indexOf('consecutive Taliban triumphs') + 3;
    const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: uriOf(path) }, position: { line, character } });
    assert.ok(hover, 'a hover');
    const value = (hover.contents as MarkupContent).value;
    assert.match(value, /^\*\*Quoted in 1 note\*\*\n\n- \[notes\/spun\\\.md, line 1\]\(<file:[^>]+spun\.md#L1%2C31>\) — /u);
    assert.match(value, /\n\n---\n\n\*\*Text reuse\*\* — ¶ 3 is shared with 1 other source\n/u);
    const start = lines[line].indexOf('got here on the again');
    assert.deepEqual(hover.range, { start: { line, character: start }, end: { line, character: start + 'got here on the again of consecutive Taliban triumphs'.length } }, 'the range is the quoted span');
  });
});
