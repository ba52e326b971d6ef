import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CompletionItem, Diagnostic, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { LspTestClient, uriOf } from './lsp-client.js';
import { corpusDir, root } from './helpers.js';

/**
 * Notes whose YAML front matter names their own sources, as Pandoc reads it:
 * `bibliography` (a path or a list, relative to the note; BibTeX, CSL JSON,
 * CSL YAML) and inline `references`. The texts are the bundled corpus's
 * articles, laid out as a writer keeps them beside their bibliographies.
 */

const LIMIT = { timeout: 60000 };
const bin = join(root, 'bin', 'verbatim.js');
const cacheHome = mkdtempSync(join(tmpdir(), 'verbatim-fm-cache-'));
let work: string;

/** A line of a corpus article, as the quotation a note makes of it. */
function lineOf(key: string, line: number): string {
  return readFileSync(join(corpusDir, `${key}.txt`), 'utf8').split('\n')[line - 1].trim();
}

const GUL = 'Moscow has downplayed concerns about the dramatic insurgent advances';
const KORYBKO = 'The Taliban captured over half of Afghanistan’s regional capitals in a single week';
const SUCHKOV = lineOf('suchkov2021', 4).split(' ').slice(0, 12).join(' ');
const ANON = lineOf('anon2021', 3).split(' ').slice(0, 12).join(' ');

function write(path: string, text: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

before(() => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root });
  work = mkdtempSync(join(tmpdir(), 'verbatim-fm-'));
  // The workspace corpus: two of the articles.
  mkdirSync(join(work, 'corpus'));
  for (const key of ['korybko2021', 'zochowski2021']) copyFileSync(join(corpusDir, `${key}.txt`), join(work, 'corpus', `${key}.txt`));
  write(join(work, 'corpus', 'references.json'), JSON.stringify([{ id: 'korybko2021', title: 'Interpreting Russia’s Reaction', author: [{ family: 'Korybko', given: 'Andrew' }] }], null, 2));
  // Note-side bibliographies: BibTeX whose file field names the text (relative to the .bib)…
  copyFileSync(join(corpusDir, 'gul2021.txt'), join(mkdirp(join(work, 'notes', 'refs', 'texts')), 'gul-article.txt'));
  write(
    join(work, 'notes', 'refs', 'gul.bib'),
    '@article{gul2021,\n  title = {Why Does Russia See No Problem with Taliban Victories?},\n  author = {Gul, Imtiaz},\n  year = {2021},\n  file = {texts/gul-article.txt},\n}\n',
  );
  // …CSL JSON and CSL YAML whose texts are files named by the key beside them.
  copyFileSync(join(corpusDir, 'suchkov2021.txt'), join(work, 'notes', 'refs', 'suchkov2021.txt'));
  write(join(work, 'notes', 'refs', 'suchkov.json'), JSON.stringify([{ id: 'suchkov2021', title: 'Russia and the Taliban', author: [{ family: 'Suchkov', given: 'Maxim' }] }]));
  copyFileSync(join(corpusDir, 'anon2021.txt'), join(work, 'notes', 'refs', 'anon2021.txt'));
  write(join(work, 'notes', 'refs', 'anon.yaml'), '---\nreferences:\n- id: anon2021\n  type: article-newspaper\n  title: Russia has been partaking with the Taliban\n  issued: 2021-08-20\n...\n');

  write(join(work, 'notes', 'gul.md'), `---\ntitle: Gul\nbibliography: refs/gul.bib\n---\n\nGul writes that "${GUL}" [@gul2021].\n\nKorybko: "${KORYBKO}" [@korybko2021].\n`);
  write(
    join(work, 'notes', 'list.md'),
    `---\nbibliography:\n  - refs/suchkov.json\n  - refs/anon.yaml\n---\n\nSuchkov: "${SUCHKOV}" [@suchkov2021].\n\nThe wire story: "${ANON}" [@anon2021].\n\nGul is not this note's: "${GUL}" [@gul2021].\n`,
  );
  // Inline references, their text beside the note; nocite names a key that is no source, and is no citation.
  copyFileSync(join(corpusDir, 'gul2021.txt'), join(work, 'notes', 'gul-inline.txt'));
  write(join(work, 'notes', 'inline.md'), `---\nreferences:\n- id: gul-inline\n  title: Gul, inline\nnocite: |\n  @nowhere2020\n---\n\nGul writes that "${GUL}" [@gul-inline].\n`);
  // Sharing the workspace corpus's own bibliography: its sources are the corpus's, read once.
  write(join(work, 'notes', 'shared.md'), `---\nbibliography: ../corpus/references.json\n---\n\nKorybko: "${KORYBKO}" [@korybko2021].\n\nŻochowski is cited [@zochowski2021].\n`);
  // Bad input: a missing file, a malformed entry, an entry with no text, front matter that is not YAML.
  write(join(work, 'notes', 'refs', 'broken.bib'), '@article{ghost2020,\n  title = {No text anywhere},\n}\n\n@article{broken,\n  title = {Unclosed\n');
  write(join(work, 'notes', 'empty2020.txt'), '');
  const bad = '---\nbibliography: [refs/missing.bib, refs/broken.bib, refs/list.ris]\nreferences:\n- id: empty2020\n---\n\nA note.\n';
  write(join(work, 'notes', 'bad.md'), bad);
  // The same front matter again: its corpus is shared, and its problems are still this note's too.
  write(join(work, 'notes', 'bad-again.md'), bad);
  write(join(work, 'notes', 'bad-yaml.md'), '---\nbibliography: [refs/gul.bib\ntitle: x\n---\n\nNothing quoted here [@gul2021].\n');
});

after(() => rmSync(work, { recursive: true, force: true }));

function mkdirp(path: string): string {
  mkdirSync(path, { recursive: true });
  return path;
}

interface JsonDiagnostic {
  code: string;
  severity: string;
  message: string;
  range: { start: { line: number; character: number } };
}

/** `verbatim check --format json` on notes, from the workspace folder: each note's diagnostics by file name. */
function check(notes: string[], ...options: string[]): { status: number | null; byNote: Map<string, JsonDiagnostic[]> } {
  const run = spawnSync(process.execPath, [bin, 'check', '--format', 'json', '--corpus', 'corpus', ...options, ...notes.map((n) => join('notes', n))], {
    cwd: work,
    encoding: 'utf8',
    env: { ...process.env, XDG_CACHE_HOME: cacheHome },
  });
  assert.ok(run.status === 0 || run.status === 1, run.stderr);
  const output = JSON.parse(run.stdout) as { files: { path: string; diagnostics: JsonDiagnostic[] }[] };
  return { status: run.status, byNote: new Map(output.files.map((f) => [f.path.split(/[\\/]/u).pop() ?? f.path, f.diagnostics])) };
}

const summary = (diagnostics: readonly JsonDiagnostic[] | undefined): string[] => (diagnostics ?? []).map((d) => `${d.range.start.line + 1} ${d.code}`);

describe('verbatim check: front-matter bibliographies', () => {
  test('a BibTeX bibliography (one path) adds its source, found through its file field, to the corpus', LIMIT, () => {
    const { status, byNote } = check(['gul.md']);
    assert.equal(status, 0);
    assert.deepEqual(summary(byNote.get('gul.md')), []);
  });

  test('a list of bibliographies (CSL JSON, CSL YAML) gives that note its sources, and no other note’s', LIMIT, () => {
    const { byNote } = check(['list.md', 'gul.md']);
    assert.deepEqual(summary(byNote.get('list.md')), ['11 unknown-source']);
    assert.match(byNote.get('list.md')?.[0].message ?? '', /Unknown source "gul2021"/u);
    assert.deepEqual(summary(byNote.get('gul.md')), []);
  });

  test('a changed quotation is judged against the front-matter source', LIMIT, () => {
    const note = join(work, 'notes', 'changed.md');
    write(note, `---\nbibliography: refs/gul.bib\n---\n\nGul writes that "${GUL.replace('concerns', 'worries')}" [@gul2021].\n\nAnd: "${KORYBKO}" [@gul2021].\n`);
    const { byNote } = check(['changed.md']);
    rmSync(note);
    const found = byNote.get('changed.md') ?? [];
    assert.deepEqual(summary(found), ['5 quote-mismatch', '7 quote-wrong-source']);
    assert.match(found[0].message, /Quotation differs from gul2021 ¶ 2: source has "concerns", not "worries"/u);
    assert.match(found[1].message, /it is in korybko2021 ¶ 3/u);
  });

  test('verbatim report reads each note’s own sources as check does: the same diagnostics, none an unknown source', LIMIT, () => {
    const note = join(work, 'notes', 'changed.md');
    write(note, `---\nbibliography: refs/gul.bib\n---\n\nGul writes that "${GUL.replace('concerns', 'worries')}" [@gul2021].\n`);
    const { byNote } = check(['changed.md']);
    const run = spawnSync(process.execPath, [bin, 'report', '--corpus', 'corpus', '-o', '-', join('notes', 'changed.md')], { cwd: work, encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: cacheHome } });
    rmSync(note);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(summary(byNote.get('changed.md')), ['5 quote-mismatch']);
    assert.match(run.stdout, /<summary>Changed <span class="count">1<\/span>/u);
    assert.match(run.stdout, /<dt>Found at<\/dt><dd>gul2021 ¶ 2, /u);
    assert.doesNotMatch(run.stdout, /unknown-source/u);
    const instead = spawnSync(process.execPath, [bin, 'report', '--corpus', 'corpus', '--front-matter-bibliography', 'sometimes', '-o', '-', 'notes'], { cwd: work, encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: cacheHome } });
    assert.equal(instead.status, 2);
    assert.match(instead.stderr, /--front-matter-bibliography must be "addition" or "instead", not "sometimes"/u);
  });

  test('a Zotero file field naming a saved web page: the page’s article is the entry’s text', LIMIT, () => {
    mkdirp(join(work, 'notes', 'zotero', 'files', '7'));
    copyFileSync(join(root, 'test', 'fixtures', 'sources', 'korybko2021.html'), join(work, 'notes', 'zotero', 'files', '7', 'page.html'));
    write(join(work, 'notes', 'zotero', 'library.bib'), '@online{korybko-web,\n  title = {Interpreting Russia’s Reaction},\n  file = {Snapshot:files/7/page.html:text/html},\n}\n');
    write(join(work, 'notes', 'web.md'), `---\nbibliography: zotero/library.bib\n---\n\nKorybko: "${KORYBKO}" [@korybko-web].\n\nAltered: "${KORYBKO.replace('single', 'lone')}" [@korybko-web].\n`);
    const found = check(['web.md']).byNote.get('web.md') ?? [];
    assert.deepEqual(summary(found), ['7 quote-mismatch']);
    assert.match(found[0].message, /^Quotation differs from korybko-web ¶ \d+: source has "single", not "lone"/u);
  });

  test('inline references find their text beside the note; nocite is no citation', LIMIT, () => {
    const { status, byNote } = check(['inline.md']);
    assert.equal(status, 0);
    assert.deepEqual(summary(byNote.get('inline.md')), []);
  });

  test('instead: the note sees only its own sources', LIMIT, () => {
    const { byNote } = check(['gul.md'], '--front-matter-bibliography', 'instead');
    assert.deepEqual(summary(byNote.get('gul.md')), ['8 unknown-source']);
    // The corpus has the key; the message says why the note does not see it.
    assert.equal(byNote.get('gul.md')?.[0].message, 'Unknown source "korybko2021": the note\'s front-matter bibliography replaces the corpus (front-matter bibliography "instead") and does not name this key');
  });

  test('instead, with the corpus’s own bibliography: only the sources it names are seen, shared with the corpus', LIMIT, () => {
    const addition = check(['shared.md']).byNote.get('shared.md');
    assert.deepEqual(summary(addition), []);
    const instead = check(['shared.md'], '--front-matter-bibliography', 'instead').byNote.get('shared.md');
    assert.deepEqual(summary(instead), ['7 unknown-source']);
    assert.match(instead?.[0].message ?? '', /"zochowski2021"/u);
  });

  test('bad input: each problem is a diagnostic on its front-matter line, naming the file (and its line)', LIMIT, () => {
    const { status, byNote } = check(['bad.md', 'bad-again.md', 'bad-yaml.md']);
    assert.equal(status, 1);
    const bad = byNote.get('bad.md') ?? [];
    assert.deepEqual(bad.map((d) => `${d.range.start.line} ${d.code} ${d.severity}`).sort(), ['1 corpus-error error', '1 corpus-error error', '1 corpus-error error', '1 corpus-error warning', '3 corpus-error warning']);
    assert.deepEqual(byNote.get('bad-again.md'), bad);
    assert.match(bad.find((d) => d.range.start.line === 3)?.message ?? '', /^empty2020\.txt: Source has no text/u);
    const messages = bad.map((d) => d.message).sort();
    assert.match(messages.find((m) => m.includes('missing.bib')) ?? '', /^Bibliography refs\/missing\.bib not found/u);
    assert.match(messages.find((m) => m.includes('Malformed')) ?? '', /^refs\/broken\.bib:6: Malformed BibTeX entry "broken": this "\{" is never closed/u);
    assert.match(messages.find((m) => m.includes('ghost2020')) ?? '', /^refs\/broken\.bib:1: entry "ghost2020" has no source text/u);
    assert.match(messages.find((m) => m.includes('list.ris')) ?? '', /Verbatim reads BibTeX \(\.bib, \.bibtex\), CSL JSON \(\.json\) and CSL YAML/u);
    const yaml = byNote.get('bad-yaml.md') ?? [];
    assert.equal(yaml[0].code, 'corpus-error');
    assert.match(yaml[0].message, /^Front matter is not valid YAML/u);
    assert.ok(yaml[0].range.start.line >= 1 && yaml[0].range.start.line <= 3, JSON.stringify(yaml[0].range));
  });

  test('a bad --front-matter-bibliography is a usage error', LIMIT, () => {
    const run = spawnSync(process.execPath, [bin, 'check', '--corpus', 'corpus', '--front-matter-bibliography', 'both', 'notes'], { cwd: work, encoding: 'utf8' });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--front-matter-bibliography must be "addition" or "instead"/u);
  });
});

describe('language server: front-matter bibliographies', () => {
  let client: LspTestClient;
  before(async () => {
    client = LspTestClient.start();
    await client.initialize(work);
  });
  after(async () => {
    await client.stop();
  });

  const codes = (diagnostics: readonly Diagnostic[]): string[] => diagnostics.map((d) => `${d.range.start.line + 1} ${String(d.code)}`);

  test('diagnostics, hover and completion follow each note’s own sources', LIMIT, async () => {
    const gulPath = join(work, 'notes', 'gul.md');
    const listPath = join(work, 'notes', 'list.md');
    const gul = await client.open(gulPath, readFileSync(gulPath, 'utf8'));
    assert.deepEqual(codes(gul.diagnostics), []);
    const list = await client.open(listPath, readFileSync(listPath, 'utf8'));
    assert.deepEqual(codes(list.diagnostics), ['11 unknown-source']);

    const text = readFileSync(gulPath, 'utf8');
    const line = text.split('\n').findIndex((l) => l.includes('@gul2021'));
    const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', {
      textDocument: { uri: uriOf(gulPath) },
      position: { line, character: text.split('\n')[line].indexOf('@gul2021') + 2 },
    });
    assert.match((hover?.contents as MarkupContent).value, /Why Does Russia See No Problem with Taliban Victories\?/u);

    const labels = async (uri: string): Promise<string[]> => {
      const items = await client.connection.sendRequest<CompletionItem[] | null>('textDocument/completion', { textDocument: { uri }, position: { line: 5, character: 2 } });
      return (items ?? []).map((i) => i.label).sort();
    };
    // A new paragraph opening a citation, typed in each note.
    await client.edit(uriOf(gulPath), [{ range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, newText: '[@' }]);
    await client.edit(uriOf(listPath), [{ range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, newText: '[@' }]);
    const inGul = await labels(uriOf(gulPath));
    const inList = await labels(uriOf(listPath));
    assert.deepEqual(inGul, ['gul2021', 'korybko2021', 'zochowski2021']);
    assert.deepEqual(inList, ['anon2021', 'korybko2021', 'suchkov2021', 'zochowski2021']);
  });

  test('editing the front matter re-checks the note against the sources it now names', LIMIT, async () => {
    const path = join(work, 'notes', 'edited.md');
    const text = `---\nbibliography: refs/gul.bib\n---\n\nSuchkov: "${SUCHKOV}" [@suchkov2021].\n`;
    write(path, text);
    const uri = uriOf(path);
    const opened = await client.open(path, text);
    assert.deepEqual(codes(opened.diagnostics), ['5 unknown-source']);
    // `refs/gul.bib` becomes `refs/suchkov.json`.
    const at = text.indexOf('refs/gul.bib');
    const edited = await client.edit(uri, [{ range: { start: { line: 1, character: at - text.indexOf('\n') - 1 }, end: { line: 1, character: at - text.indexOf('\n') - 1 + 'refs/gul.bib'.length } }, newText: 'refs/suchkov.json' }]);
    assert.deepEqual(codes(edited.diagnostics), []);
  });

  test('a bibliography rewritten on disk re-checks the notes that read it', LIMIT, async () => {
    const path = join(work, 'notes', 'rewritten.md');
    const bib = join(work, 'notes', 'refs', 'rewritten.json');
    write(bib, JSON.stringify([{ id: 'suchkov2021', title: 'Before' }]));
    const text = `---\nbibliography: refs/rewritten.json\n---\n\nSuchkov: "${SUCHKOV}" [@suchkov2021].\n`;
    write(path, text);
    const uri = uriOf(path);
    const opened = await client.open(path, text);
    assert.deepEqual(codes(opened.diagnostics), []);
    // The entry is renamed: the citation's key is now unknown.
    write(bib, JSON.stringify([{ id: 'suchkov2021b', title: 'After' }]));
    const republished = client.diagnostics.next((d) => d.uri === uri && d.diagnostics.length > 0);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(bib), type: 2 }] });
    const after = await republished;
    assert.deepEqual(codes(after.diagnostics), ['2 corpus-error', '5 unknown-source']);
  });
});
