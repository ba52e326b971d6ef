import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CodeLens, Hover, Location, MarkupContent, Range } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { sourceQuotationsChangedNotification, sourceQuotationsRequest, type SourceQuotationSpan } from '../server/src/lsp/protocol.js';
import { LspTestClient, uriOf } from './lsp-client.js';
import { root } from './paths.js';

// A corpus source seen from the notes that quote it: CodeLenses over quoted paragraphs, the quoted spans by how
// they are quoted, a hover naming each quotation, references to them — for every note in the folder, open or not.

const LIMIT = { timeout: 60000 };
let folder: string;
let client: LspTestClient;
let source: string;
let sourceUri: string;
let sourceText: TextDocument;
const changes: (() => void)[] = [];

const ANACONDA = 'A Taliban member warned that "We will get around Kabul like an anaconda" [@korybko2021, ¶ 6].\n';
const DISTANCE = 'Korybko writes that the group "is now at most 50 kilometers away from the capital" [@korybko2021, ¶ 6].\n';
const CHANGED = '\nThe Pentagon predicts that "Kabul can be isolated within 48 hours" [@korybko2021, ¶ 6].\n';
const SENSES = 'Kabulov asked Kabul to "finally come to its senses and start substantive talks" [@korybko2021, ¶ 7].\n';

/** The next `verbatim/sourceQuotationsChanged`. */
function nextChange(): Promise<void> {
  return new Promise((resolve) => changes.push(resolve));
}

/** Asks until the answer holds, asking again after each change the server announces (never on a timer). */
async function settled<T>(ask: () => Promise<T>, holds: (answer: T) => boolean): Promise<T> {
  for (;;) {
    const changed = nextChange();
    const answer = await ask();
    if (holds(answer)) return answer;
    await changed;
  }
}

const lenses = (): Promise<CodeLens[]> => client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: sourceUri } });
const spans = (): Promise<SourceQuotationSpan[]> => client.connection.sendRequest(sourceQuotationsRequest, { uri: sourceUri });
const titles = (found: CodeLens[]): string[] => found.map((l) => `${l.range.start.line}: ${l.command?.title ?? ''}`);
const textOf = (range: Range): string => sourceText.getText(range);

/** The line a paragraph of the source starts on: the paragraph holding `words`. */
function paragraphLine(words: string): number {
  const offset = sourceText.getText().indexOf(words);
  assert.ok(offset >= 0, words);
  const start = sourceText.getText().lastIndexOf('\n\n', offset);
  return sourceText.positionAt(start < 0 ? 0 : start + 2).line;
}

function positionIn(words: string, delta = 0): { line: number; character: number } {
  const offset = sourceText.getText().indexOf(words);
  assert.ok(offset >= 0, words);
  return sourceText.positionAt(offset + delta);
}

before(async () => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root });
  folder = mkdtempSync(join(tmpdir(), 'verbatim-source-uses-'));
  cpSync(join(root, 'corpus'), join(folder, 'corpus'), { recursive: true });
  mkdirSync(join(folder, 'notes'));
  writeFileSync(join(folder, 'notes', 'anaconda.md'), ANACONDA);
  writeFileSync(join(folder, 'notes', 'distance.md'), DISTANCE + CHANGED);
  source = join(folder, 'corpus', 'korybko2021.txt');
  sourceUri = uriOf(source);
  sourceText = TextDocument.create(sourceUri, 'plaintext', 1, readFileSync(source, 'utf8'));
  client = LspTestClient.start();
  client.connection.onNotification(sourceQuotationsChangedNotification, () => {
    for (const resolve of changes.splice(0)) resolve();
  });
  await client.initialize(folder);
});

after(async () => {
  await client.stop();
});

describe('a source, from the notes that quote it', () => {
  test('notes never opened are read in the background: a CodeLens over the quoted paragraph', LIMIT, async () => {
    const found = await settled(lenses, (l) => l.length > 0);
    assert.deepEqual(titles(found), [`${paragraphLine('We will get around Kabul')}: quoted 3 times in 2 notes`]);
    assert.equal(found[0].command?.command, 'verbatim.showSourceQuotations');
    const [uri, , locations] = found[0].command?.arguments as [string, unknown, Location[]];
    assert.equal(uri, sourceUri);
    assert.deepEqual(locations.map((l) => l.uri).sort(), [uriOf(join(folder, 'notes', 'anaconda.md')), uriOf(join(folder, 'notes', 'distance.md')), uriOf(join(folder, 'notes', 'distance.md'))]);
  });

  test('the quoted spans, the source’s words kept apart from words a note changed', LIMIT, async () => {
    const quoted = await spans();
    assert.deepEqual(
      quoted.map((s) => [s.match, textOf(s.range)]),
      [
        ['verbatim', 'We will get around Kabul like an anaconda'],
        ['verbatim', 'is now at most 50 kilometers away from the capital'],
        ['changed', 'Kabul can be isolated within 72 hours'],
      ],
    );
    // A document that is no source has nothing quoted.
    assert.deepEqual(await client.connection.sendRequest(sourceQuotationsRequest, { uri: uriOf(join(folder, 'notes', 'anaconda.md')) }), []);
  });

  test('hovering a quoted span names each quotation of it: note, line, verdict, a link to it', LIMIT, async () => {
    const hover: Hover = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: sourceUri }, position: positionIn('within 72 hours', 8) });
    const value = (hover.contents as MarkupContent).value;
    const note = uriOf(join(folder, 'notes', 'distance.md'));
    assert.equal(value.split('\n')[0], '**Quoted in 1 note**');
    assert.ok(value.includes(`[notes/distance\\.md, line 3](<${note}#L3%2C29>) — changed: “Kabul can be isolated within 48 hours”`), value);
    assert.equal(textOf(hover.range as Range), 'Kabul can be isolated within 72 hours');
    // Between quoted spans, nothing is said.
    const between = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: sourceUri }, position: positionIn('Department of Defense') });
    assert.equal(between, null);
  });

  test('Find References on a quoted paragraph lists its quotations in the notes', LIMIT, async () => {
    const found: Location[] = await client.connection.sendRequest('textDocument/references', {
      textDocument: { uri: sourceUri },
      position: positionIn('Department of Defense'),
      context: { includeDeclaration: false },
    });
    const quoted = found.map((l) => {
      const text = readFileSync(new URL(l.uri), 'utf8');
      return TextDocument.create(l.uri, 'markdown', 1, text).getText(l.range);
    });
    assert.deepEqual(quoted, ['We will get around Kabul like an anaconda', 'is now at most 50 kilometers away from the capital', 'Kabul can be isolated within 48 hours']);
  });

  test('a note written on disk is read when the watcher reports it; a deleted one is forgotten', LIMIT, async () => {
    const added = join(folder, 'notes', 'senses.md');
    writeFileSync(added, SENSES);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(added), type: 1 }] });
    const withSenses = await settled(lenses, (l) => l.length === 2);
    assert.deepEqual(titles(withSenses), [
      `${paragraphLine('We will get around Kabul')}: quoted 3 times in 2 notes`,
      `${paragraphLine('finally come to its senses')}: quoted in 1 note`,
    ]);
    const gone = join(folder, 'notes', 'anaconda.md');
    rmSync(gone);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(gone), type: 3 }] });
    const without = await settled(lenses, (l) => l[0]?.command?.title === 'quoted 2 times in 1 note');
    assert.deepEqual(titles(without)[0], `${paragraphLine('We will get around Kabul')}: quoted 2 times in 1 note`);
  });

  test('an open note counts as edited, before it is saved', LIMIT, async () => {
    const note = join(folder, 'notes', 'distance.md');
    await client.open(note, DISTANCE + CHANGED);
    const noteUri = uriOf(note);
    // The changed quotation is put right in the editor: the span is the source's words now.
    const at = client.text(noteUri).indexOf('48 hours');
    const line = client.text(noteUri).slice(0, at).split('\n').length - 1;
    const character = at - client.text(noteUri).lastIndexOf('\n', at - 1) - 1;
    await client.edit(noteUri, [{ range: { start: { line, character }, end: { line, character: character + 2 } }, newText: '72' }]);
    const quoted = await settled(spans, (s) => s.every((span) => span.match === 'verbatim'));
    assert.deepEqual(quoted.map((s) => textOf(s.range)), ['is now at most 50 kilometers away from the capital', 'Kabul can be isolated within 72 hours', 'finally come to its senses and start substantive talks']);
  });
});
