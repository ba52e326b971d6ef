import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CodeLens, Hover, Location, MarkupContent, Range } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { sourceQuotationsChangedNotification, sourceQuotationsRequest, sourceTextRequest, type SourceQuotationSpan } from '../server/src/lsp/protocol.js';
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
/** Who waits for the next `verbatim/sourceQuotationsChanged`, by client. */
const waiting = new Map<LspTestClient, (() => void)[]>();

const ANACONDA = 'A Taliban member warned that "We will get around Kabul like an anaconda" [@korybko2021, ¶ 6].\n';
const DISTANCE = 'Korybko writes that the group "is now at most 50 kilometers away from the capital" [@korybko2021, ¶ 6].\n';
const CHANGED = '\nThe Pentagon predicts that "Kabul can be isolated within 48 hours" [@korybko2021, ¶ 6].\n';
const SENSES = 'Kabulov asked Kabul to "finally come to its senses and start substantive talks" [@korybko2021, ¶ 7].\n';

/** Starts a server whose announcements of changed quotations can be waited for. */
function startClient(): LspTestClient {
  const started = LspTestClient.start();
  waiting.set(started, []);
  started.connection.onNotification(sourceQuotationsChangedNotification, () => {
    for (const resolve of waiting.get(started)?.splice(0) ?? []) resolve();
  });
  return started;
}

/** The next `verbatim/sourceQuotationsChanged` from a client's server. */
function nextChange(from: LspTestClient): Promise<void> {
  return new Promise((resolve) => waiting.get(from)?.push(resolve));
}

/** Asks until the answer holds, asking again after each change the server announces (never on a timer). */
async function settled<T>(ask: () => Promise<T>, holds: (answer: T) => boolean, from: LspTestClient = client): Promise<T> {
  for (;;) {
    const changed = nextChange(from);
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
  client = startClient();
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
    // Closed without saving: the file on disk counts again, its quotation changed.
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: noteUri } });
    const saved = await settled(spans, (s) => s.some((span) => span.match === 'changed'));
    assert.deepEqual(saved.filter((s) => s.match === 'changed').map((s) => textOf(s.range)), ['Kabul can be isolated within 72 hours']);
  });
});

describe('a PDF, in its extracted text', () => {
  const ALONGSIDE = 'Russia, alongside Pakistan, China, Iran and others, has maintained good relations with the Taliban';
  let pdfClient: LspTestClient;
  let pdfFolder: string;

  before(async () => {
    pdfFolder = mkdtempSync(join(tmpdir(), 'verbatim-source-uses-pdf-'));
    mkdirSync(join(pdfFolder, 'corpus'));
    cpSync(join(root, 'test', 'fixtures', 'sources', 'zochowski2021-journal.pdf'), join(pdfFolder, 'corpus', 'zochowski2021.pdf'));
    writeFileSync(join(pdfFolder, 'note.md'), `Żochowski: "${ALONGSIDE}" [@zochowski2021, p. 17].\n`);
    pdfClient = startClient();
    await pdfClient.initialize(pdfFolder, { initializationOptions: { storagePath: mkdtempSync(join(tmpdir(), 'verbatim-source-uses-storage-')), sourceTextDocuments: true } });
  });

  after(() => pdfClient.stop());

  test('the quoted words are marked in the extracted text the editor shows, not in the PDF file', LIMIT, async () => {
    const pdf = join(pdfFolder, 'corpus', 'zochowski2021.pdf');
    const extracted = URI.file(pdf).with({ scheme: 'verbatim-source' }).toString();
    const ask = (uri: string) => (): Promise<SourceQuotationSpan[]> => pdfClient.connection.sendRequest(sourceQuotationsRequest, { uri });
    // The PDF is read after the text sources; the note, never opened, is read again once it is in.
    const quoted = await settled(ask(extracted), (s) => s.length > 0, pdfClient);
    const text = await pdfClient.connection.sendRequest(sourceTextRequest, { uri: extracted });
    assert.ok(text);
    const shown = TextDocument.create(extracted, 'plaintext', 1, text);
    assert.deepEqual(quoted.map((s) => [s.match, shown.getText(s.range)]), [['verbatim', ALONGSIDE]]);
    const lenses: CodeLens[] = await pdfClient.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: extracted } });
    assert.deepEqual(lenses.map((l) => [l.range.start.line, l.command?.title]), [[quoted[0].range.start.line, 'quoted in 1 note']]);
    // The PDF file's own offsets are not the extracted text's: nothing is marked there.
    assert.deepEqual(await ask(uriOf(pdf))(), []);
  });
});
