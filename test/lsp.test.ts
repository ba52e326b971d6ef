import { after, before, describe, test } from 'node:test';
import { reindexRequest } from '../server/src/lsp/protocol.js';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CodeAction, CompletionItem, Diagnostic, Hover, Location, MarkupContent } from 'vscode-languageserver-protocol';
import { LspTestClient, uriOf } from './lsp-client.js';
import { root } from './helpers.js';

const LIMIT = { timeout: 30000 };
let folder: string;
let client: LspTestClient;
let notePath: string;
let noteUri: string;
let first: Diagnostic[];

function positionOf(text: string, needle: string, delta = 0): { line: number; character: number } {
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, `needle in text: ${needle}`);
  const before = text.slice(0, offset + delta).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

function byCode(diagnostics: Diagnostic[], code: string): Diagnostic[] {
  return diagnostics.filter((d) => d.code === code);
}

before(async () => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root });
  folder = mkdtempSync(join(tmpdir(), 'verbatim-lsp-'));
  cpSync(join(root, 'corpus'), join(folder, 'corpus'), { recursive: true });
  mkdirSync(join(folder, 'notes'));
  notePath = join(folder, 'notes', 'example.md');
  cpSync(join(root, 'examples', 'russia-and-the-taliban.md'), notePath);
  writeFileSync(join(folder, 'notes', 'other.md'), 'Elsewhere Korybko is cited too [@korybko2021, ¶ 3].\n');
  noteUri = uriOf(notePath);
  client = LspTestClient.start();
  await client.initialize(folder);
  // Speakers are read with the English tagger, which loads after the first diagnostics: possibly a second publish.
  const complete = (d: { diagnostics: Diagnostic[] }): boolean => d.diagnostics.some((x) => x.code === 'quote-misattributed');
  const withSpeakers = client.diagnostics.next((d) => d.uri === noteUri && complete(d));
  const opened = await client.open(notePath, readFileSync(notePath, 'utf8'));
  first = (complete(opened) ? opened : await withSpeakers).diagnostics;
});

after(async () => {
  await client.stop();
});

describe('diagnostics', () => {
  test('the example note gets the same diagnostics as the CLI', LIMIT, () => {
    const run = spawnSync(process.execPath, [join(root, 'bin', 'verbatim.js'), 'check', '--format', 'json', '--corpus', join(folder, 'corpus'), notePath], { encoding: 'utf8' });
    assert.equal(run.status, 1);
    const cli = JSON.parse(run.stdout) as { files: { diagnostics: { code: string; range: unknown; message: string }[] }[] };
    const expected = cli.files[0].diagnostics.map((d) => [d.code, d.range, d.message]);
    assert.deepEqual(first.map((d) => [d.code, d.range, d.message]), expected);
    assert.equal(byCode(first, 'quote-wrong-source')[0].severity, 1);
    assert.equal(byCode(first, 'quote-mismatch')[0].severity, 2);
    assert.equal(first[0].source, 'verbatim');
  });
});

/** The example note's hover text at `needle` (plus `delta` characters). */
async function hoverOnNote(needle: string, delta: number): Promise<string> {
  const hover = await client.connection.sendRequest<Hover>('textDocument/hover', {
    textDocument: { uri: noteUri },
    position: positionOf(client.text(noteUri), needle, delta),
  });
  return (hover.contents as MarkupContent).value;
}

describe('hover', () => {
  test('on a changed quotation: verdict, source passage, metadata and word diff', LIMIT, async () => {
    const value = await hoverOnNote('kilometres', 2);
    assert.match(value, /^\*\*Changed\*\* — korybko2021 ¶ 6/);
    assert.match(value, /\*\*at most 50 kilometers away from the capital\*\*/);
    assert.match(value, /\*Interpreting Russia’s Reaction to the Taliban’s Rapid Takeover of Afghanistan\* — Andrew Korybko, OneWorld/);
    assert.match(value, /~~kilometres~~ → \*\*kilometers\*\*/);
  });

  test('on a figure the cited paragraph does not give: the message and the passage, its figure in bold', LIMIT, async () => {
    const value = await hoverOnNote('65%', 1);
    assert.match(value, /^\*\*Unsupported figure\*\* — suchkov2021 ¶ 1 gives 85%, not 65%/);
    assert.match(value, /suchkov2021 ¶ 1:/);
    assert.match(value, /the movement announced it controlled up to \*\*85%\*\* of the country/);
  });

  test('on a verbatim quotation that recurs in another source: the other sources are named', LIMIT, async () => {
    const note = join(folder, 'notes', 'recurring.md');
    const text = 'Korybko: "it would be wise for the Kremlin to ask the Taliban" [@korybko2021, ¶ 10].\n';
    await client.open(note, text);
    const hover = await client.connection.sendRequest<Hover>('textDocument/hover', { textDocument: { uri: uriOf(note) }, position: positionOf(text, 'wise') });
    const value = (hover.contents as MarkupContent).value;
    assert.match(value, /^\*\*Verbatim\*\* — korybko2021 ¶ 10/);
  });

  test('on a verbatim quotation: the other sources carrying the same words', LIMIT, async () => {
    const note = join(folder, 'notes', 'shared-words.md');
    const text = 'Żochowski worries about "the Central Asian states" [@zochowski2021, ¶ 8].\n';
    await client.open(note, text);
    const hover = await client.connection.sendRequest<Hover>('textDocument/hover', { textDocument: { uri: uriOf(note) }, position: positionOf(text, 'Asian') });
    const value = (hover.contents as MarkupContent).value;
    assert.match(value, /^\*\*Verbatim\*\* — zochowski2021 ¶ 8/);
    assert.match(value, /\nAlso in: anon2021 ¶ 14$/);
  });

  test('on a citation key: metadata and the cited paragraph', LIMIT, async () => {
    const value = await hoverOnNote('@zochowski2021 [¶ 5]', 3);
    assert.match(value, /^\*\*zochowski2021\*\* — \*Russia and the Taliban’s takeover in Afghanistan\* — Piotr Żochowski/);
    assert.match(value, /¶ 5:/);
    assert.match(value, /> Russia, alongside Pakistan, China, Iran and others/);
  });
});

describe('completion', () => {
  test('after [@ it offers the five keys with their metadata', LIMIT, async () => {
    const note = join(folder, 'notes', 'typing.md');
    const text = 'A claim [@\n';
    await client.open(note, text);
    const items = await client.connection.sendRequest<CompletionItem[]>('textDocument/completion', {
      textDocument: { uri: uriOf(note) },
      position: { line: 0, character: 10 },
    });
    assert.deepEqual(items.map((i) => i.label).sort(), ['anon2021', 'gul2021', 'korybko2021', 'suchkov2021', 'zochowski2021']);
    const korybko = items.find((i) => i.label === 'korybko2021');
    assert.match(korybko?.detail ?? '', /Andrew Korybko — Interpreting Russia’s Reaction/);
    assert.match(korybko?.filterText ?? '', /Korybko/);
    assert.match((korybko?.documentation as MarkupContent | undefined)?.value ?? '', /Andrew Korybko/);
  });

  test('after "; @" and a narrative "@", too; not after an email address', LIMIT, async () => {
    const note = join(folder, 'notes', 'typing2.md');
    const text = 'See [@gul2021; @su\nAs @ko\nmail user@ex\n';
    await client.open(note, text);
    const ask = (line: number, character: number) =>
      client.connection.sendRequest<CompletionItem[] | null>('textDocument/completion', { textDocument: { uri: uriOf(note) }, position: { line, character } });
    assert.equal((await ask(0, 18))?.length, 5);
    const narrative = await ask(1, 6);
    assert.equal(narrative?.length, 5);
    assert.deepEqual(narrative?.[0].textEdit && 'range' in narrative[0].textEdit ? narrative[0].textEdit.range : undefined, { start: { line: 1, character: 4 }, end: { line: 1, character: 6 } });
    assert.equal(await ask(2, 12), null);
  });

  test('after ¶ inside a citation it offers that source’s paragraphs with their first words', LIMIT, async () => {
    const note = join(folder, 'notes', 'typing3.md');
    const text = 'Quote [@suchkov2021, ¶ \n';
    await client.open(note, text);
    const items = await client.connection.sendRequest<CompletionItem[]>('textDocument/completion', {
      textDocument: { uri: uriOf(note) },
      position: { line: 0, character: 23 },
    });
    assert.equal(items.length, 17);
    assert.equal(items[9].label, '10');
    assert.match(items[9].detail ?? '', /^The Taliban sought to provide reassurances/);
  });
});

describe('definition and references', () => {
  test('a citation leads to its source at the cited paragraph', LIMIT, async () => {
    const text = client.text(noteUri);
    const location = await client.connection.sendRequest<Location>('textDocument/definition', {
      textDocument: { uri: noteUri },
      position: positionOf(text, '@zochowski2021 [¶ 5]', 2),
    });
    assert.equal(location.uri, uriOf(join(folder, 'corpus', 'zochowski2021.txt')));
    const lines = readFileSync(join(folder, 'corpus', 'zochowski2021.txt'), 'utf8').split('\n');
    assert.match(lines[location.range.start.line], /^Russia, alongside Pakistan/);
  });

  test('a verified quotation leads to the exact words in the source', LIMIT, async () => {
    const text = client.text(noteUri);
    const location = await client.connection.sendRequest<Location>('textDocument/definition', {
      textDocument: { uri: noteUri },
      position: positionOf(text, 'which has been under the Taliban'),
    });
    const source = readFileSync(join(folder, 'corpus', 'zochowski2021.txt'), 'utf8').split('\n');
    const { start, end } = location.range;
    assert.equal(start.line, end.line);
    assert.equal(source[start.line].slice(start.character, end.character), 'has not closed its embassy in Kabul, which has been under the Taliban’s protection since 16 August');
  });

  test('references on a key: every citation of that source in the workspace notes', LIMIT, async () => {
    const text = client.text(noteUri);
    const locations = await client.connection.sendRequest<Location[]>('textDocument/references', {
      textDocument: { uri: noteUri },
      position: positionOf(text, '@korybko2021, ¶ 10', 2),
      context: { includeDeclaration: true },
    });
    const uris = new Set(locations.map((l) => l.uri));
    assert.ok(uris.has(noteUri));
    assert.ok(uris.has(uriOf(join(folder, 'notes', 'other.md'))));
    assert.equal(locations.filter((l) => l.uri === noteUri).length, (text.match(/@korybko2021/g) ?? []).length);
  });
});

describe('quick fixes', () => {
  for (const code of ['quote-mismatch', 'quote-misattributed', 'quote-wrong-source', 'locator-mismatch', 'unknown-source', 'quote-uncited', 'claim-unsupported']) {
    test(`${code}: the fix edits only its span and the diagnostic goes away`, LIMIT, async () => {
      const current = client.diagnostics.seen.filter((d) => d.uri === noteUri).at(-1)!;
      const diagnostic = byCode(current.diagnostics, code)[0];
      assert.ok(diagnostic, `a ${code} diagnostic is there`);
      const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri: noteUri },
        range: diagnostic.range,
        context: { diagnostics: [diagnostic] },
      });
      const fix = actions.find((a) => a.isPreferred);
      assert.ok(fix?.edit?.changes, `${code} offers a preferred fix: ${actions.map((a) => a.title).join(', ')}`);
      const edits = fix.edit.changes[noteUri];
      assert.equal(edits.length, 1);
      const before = client.text(noteUri);
      const published = await client.edit(noteUri, edits);
      const after = client.text(noteUri);
      // Only the edit's span changed: the text before it and after it is byte-identical.
      const lines = before.split('\n');
      const start = lines.slice(0, edits[0].range.start.line).join('\n').length + (edits[0].range.start.line > 0 ? 1 : 0) + edits[0].range.start.character;
      const end = lines.slice(0, edits[0].range.end.line).join('\n').length + (edits[0].range.end.line > 0 ? 1 : 0) + edits[0].range.end.character;
      assert.equal(after, before.slice(0, start) + edits[0].newText + before.slice(end));
      const remaining = byCode(published.diagnostics, code).filter((d) => d.range.start.line === diagnostic.range.start.line);
      assert.deepEqual(remaining, [], `${code} is gone after "${fix.title}"`);
      assert.equal(published.diagnostics.length, current.diagnostics.length - 1);
    });
  }

  test('locator-mismatch through a footnote: the diagnostic stands on the reference, the fix corrects the footnote and the diagnostic goes away', LIMIT, async () => {
    const path = join(folder, 'notes', 'footnoted.md');
    const text = 'Moscow "has limited confidence in them".[^z]\n\nMy own remark in between.\n\n[^z]: [@zochowski2021, ¶ 3].\n';
    writeFileSync(path, text);
    const uri = uriOf(path);
    const opened = await client.open(path, text);
    assert.deepEqual(
      opened.diagnostics.map((d) => [d.code, d.range, d.message]),
      [['locator-mismatch', { start: positionOf(text, '[^z]'), end: positionOf(text, '[^z]', 4) }, 'Quotation is in zochowski2021 ¶ 13, not ¶ 3']],
    );
    const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: opened.diagnostics[0].range,
      context: { diagnostics: opened.diagnostics },
    });
    const fix = actions.find((a) => a.isPreferred);
    assert.equal(fix?.title, 'Change the locator to ¶ 13');
    assert.deepEqual(fix.edit?.changes?.[uri], [{ range: { start: positionOf(text, '3].'), end: positionOf(text, '3].', 1) }, newText: '13' }]);
    const published = await client.edit(uri, fix.edit.changes[uri]);
    assert.equal(client.text(uri), text.replace('¶ 3]', '¶ 13]'));
    assert.deepEqual(published.diagnostics, []);
  });

  test('"Ignore this quotation" inserts a suppression comment that silences it', LIMIT, async () => {
    const current = client.diagnostics.seen.filter((d) => d.uri === noteUri).at(-1)!;
    const diagnostic = byCode(current.diagnostics, 'quote-not-found')[0];
    const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: noteUri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic] },
    });
    const ignore = actions.find((a) => a.title === 'Ignore this quotation');
    assert.ok(ignore?.edit?.changes);
    const published = await client.edit(noteUri, ignore.edit.changes[noteUri]);
    assert.deepEqual(byCode(published.diagnostics, 'quote-not-found'), []);
    assert.match(client.text(noteUri), /<!-- verbatim-disable-next-line quote-not-found -->/);
  });
});

describe('the corpus and the settings', () => {
  test('editing a source on disk re-checks the open note', LIMIT, async () => {
    const note = join(folder, 'notes', 'watch.md');
    const text = 'Gul: "the base was handed over to the ANDSF" [@gul2021].\n';
    const opened = await client.open(note, text);
    assert.deepEqual(opened.diagnostics, []);
    const source = join(folder, 'corpus', 'gul2021.txt');
    writeFileSync(source, readFileSync(source, 'utf8').replace('handed over to the ANDSF', 'handed over to the Afghan forces'));
    const rechecked = client.diagnostics.next((d) => d.uri === uriOf(note) && d.diagnostics.length > 0);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(source), type: 2 }] });
    const published = await rechecked;
    assert.equal(published.diagnostics[0].code, 'quote-mismatch');
    writeFileSync(source, readFileSync(join(root, 'corpus', 'gul2021.txt')));
    const restored = client.diagnostics.next((d) => d.uri === uriOf(note) && d.diagnostics.length === 0);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(source), type: 2 }] });
    await restored;
  });

  test('a source deleted while a note is open: the note is re-checked and says the key is gone', LIMIT, async () => {
    const source = join(folder, 'corpus', 'memo2024.txt');
    writeFileSync(source, 'Memo\nThe committee met twice in May.\n');
    const added = client.status.next((s) => s.sources === 6);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(source), type: 1 }] });
    await added;
    const note = join(folder, 'notes', 'memo.md');
    const opened = await client.open(note, '"The committee met twice in May" [@memo2024, ¶ 2].\n');
    assert.deepEqual(opened.diagnostics, []);
    rmSync(source);
    const gone = client.diagnostics.next((d) => d.uri === uriOf(note) && d.diagnostics.length > 0);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(source), type: 3 }] });
    const published = await gone;
    assert.deepEqual(published.diagnostics.map((d) => d.code), ['unknown-source']);
  });

  test('a bad bibliography is reported on that file; the rest keeps working', LIMIT, async () => {
    const bibliography = join(folder, 'corpus', 'extra.json');
    writeFileSync(bibliography, '[{"id": "broken",\n');
    const reported = client.diagnostics.next((d) => d.uri === uriOf(bibliography));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(bibliography), type: 1 }] });
    const published = await reported;
    assert.equal(published.diagnostics[0].code, 'corpus-error');
    assert.match(published.diagnostics[0].message as string, /not valid JSON/);
    writeFileSync(bibliography, '[]\n');
    const cleared = client.diagnostics.next((d) => d.uri === uriOf(bibliography) && d.diagnostics.length === 0);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(bibliography), type: 2 }] });
    await cleared;
  });

  test('verbatim.severity changes a code’s severity, and "off" hides it', LIMIT, async () => {
    const note = join(folder, 'notes', 'severity.md');
    const text = 'Korybko: "at most 50 kilometres away from the capital" [@korybko2021].\n\nMoscow "has limited confidence in them" [@suchkov2021].\n';
    const opened = await client.open(note, text);
    assert.deepEqual(opened.diagnostics.map((d) => [d.code, d.severity]), [['quote-mismatch', 2], ['quote-wrong-source', 1]]);
    client.settings = { debounceMs: 0, severity: { 'quote-mismatch': 'error', 'quote-wrong-source': 'off' } };
    const changed = client.diagnostics.next((d) => d.uri === uriOf(note) && d.diagnostics.length === 1);
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    const published = await changed;
    assert.deepEqual(published.diagnostics.map((d) => [d.code, d.severity]), [['quote-mismatch', 1]]);
    client.settings = { debounceMs: 0 };
    const restored = client.diagnostics.next((d) => d.uri === uriOf(note) && d.diagnostics.length === 2);
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await restored;
  });

  test('verbatim.corpus may not point outside the workspace folder unless absolute', LIMIT, async () => {
    client.settings = { debounceMs: 0, corpus: '../elsewhere' };
    const refused = client.status.next((s) => s.folder === folder);
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    const status = await refused;
    assert.match(status.error ?? '', /points outside the workspace folder/);
    assert.ok(client.messages.some((m) => m.includes('points outside the workspace folder')));
    client.settings = { debounceMs: 0, corpus: join(folder, 'corpus') };
    const allowed = client.status.next((s) => s.folder === folder);
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    assert.equal((await allowed).sources, 5);
    client.settings = { debounceMs: 0 };
  });

  test('verbatim/reindex reloads every corpus and reports it', LIMIT, async () => {
    const statuses = await client.connection.sendRequest(reindexRequest);
    assert.equal(statuses[0].sources, 5);
    assert.equal(statuses[0].paragraphs, 87);
  });
});

describe('multi-root workspaces', () => {
  test('each folder gets its own corpus', { timeout: 30000 }, async () => {
    const one = mkdtempSync(join(tmpdir(), 'verbatim-root-a-'));
    const two = mkdtempSync(join(tmpdir(), 'verbatim-root-b-'));
    cpSync(join(root, 'corpus'), join(one, 'corpus'), { recursive: true });
    mkdirSync(join(two, 'corpus'));
    writeFileSync(join(two, 'corpus', 'memo.txt'), 'Memo\nThe committee met twice in May.\n');
    const multi = LspTestClient.start();
    const bothReady = Promise.all([multi.status.next((s) => s.folder === one), multi.status.next((s) => s.folder === two)]);
    await multi.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: [
        { uri: uriOf(one), name: 'one' },
        { uri: uriOf(two), name: 'two' },
      ],
      capabilities: { workspace: { configuration: true, workspaceFolders: true } },
    });
    await multi.connection.sendNotification('initialized', {});
    const [a, b] = await bothReady;
    assert.deepEqual([a.sources, b.sources], [5, 1]);
    const inOne = await multi.open(join(one, 'note.md'), '"The committee met twice in May" [@memo].\n');
    const inTwo = await multi.open(join(two, 'note.md'), '"The committee met twice in May" [@memo].\n');
    assert.deepEqual(inOne.diagnostics.map((d) => d.code), ['unknown-source']);
    assert.deepEqual(inTwo.diagnostics, []);
    await multi.stop();
  });

  test('a workspace with no corpus folder stays quiet', { timeout: 30000 }, async () => {
    const bare = mkdtempSync(join(tmpdir(), 'verbatim-bare-'));
    const quiet = LspTestClient.start();
    await quiet.initialize(bare);
    const published = await quiet.open(join(bare, 'readme.md'), 'A "quotation with no corpus at all" here.\n');
    assert.deepEqual(published.diagnostics, []);
    assert.deepEqual(quiet.messages, []);
    await quiet.stop();
  });
});

describe('uncited claims', () => {
  test('the hover previews the supporting passages and each is a quick fix that cites it', { timeout: 30000 }, async () => {
    const note = join(folder, 'notes', 'claims.md');
    const text = 'Intro without sources.\n\nThe Taliban captured over half of Afghanistan’s regional capitals in a single week.\n';
    // Claims come once the tagger has loaded, possibly in a second publish.
    const withClaim = client.diagnostics.next((d) => d.uri === uriOf(note) && d.diagnostics.some((x) => x.code === 'claim-uncited'));
    const opened = await client.open(note, text);
    const [claim] = opened.diagnostics.some((x) => x.code === 'claim-uncited') ? opened.diagnostics : (await withClaim).diagnostics;
    assert.equal(claim.code, 'claim-uncited');
    assert.equal(claim.severity, 3);
    const hover = await client.connection.sendRequest<Hover>('textDocument/hover', { textDocument: { uri: uriOf(note) }, position: positionOf(text, 'regional') });
    const value = (hover.contents as MarkupContent).value;
    assert.match(value, /^\*\*Uncited claim\*\* — it states a figure \\\(half\\\)/);
    assert.match(value, /\n1\. \*\*korybko2021 ¶ 3\*\* — The Taliban captured over half/);
    const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: uriOf(note) },
      range: claim.range,
      context: { diagnostics: [claim] },
    });
    const cite = actions.find((a) => a.title.startsWith('Cite korybko2021 ¶ 3 — "The Taliban captured'));
    assert.ok(cite?.edit?.changes, actions.map((a) => a.title).join('\n'));
    const published = await client.edit(uriOf(note), cite.edit.changes[uriOf(note)]);
    assert.equal(client.text(uriOf(note)), text.replace('single week.', 'single week [@korybko2021, ¶ 3].'));
    assert.deepEqual(published.diagnostics, []);
  });
});
