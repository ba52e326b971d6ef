import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Location } from 'vscode-languageserver-protocol';
import { URI } from 'vscode-uri';
import { sourceTextRequest } from '../server/src/lsp/protocol.js';
import { FULL_CAPABILITIES, LspTestClient, uriOf } from './lsp-client.js';
import { corpusDir, root } from './helpers.js';

const NOTE = [
  'Korybko: "We will get around Kabul like an anaconda" [@korybko2021, ¶ 6].',
  '',
  'Żochowski: "Russia, alongside Pakistan, China, Iran and others, has maintained good relations with the Taliban" [@zochowski2021, p. 19].',
  '',
].join('\n');

describe('the language server with a PDF in the corpus', () => {
  let client: LspTestClient;
  let folder: string;
  let storage: string;
  /** Each progress's messages by its title: the corpus's loading, then its documents' reading. */
  const progress = new Map<string, string[]>();

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'verbatim-lsp-documents-'));
    storage = mkdtempSync(join(tmpdir(), 'verbatim-lsp-storage-'));
    mkdirSync(join(folder, 'corpus'));
    copyFileSync(join(corpusDir, 'korybko2021.txt'), join(folder, 'corpus', 'korybko2021.txt'));
    copyFileSync(join(root, 'test', 'fixtures', 'sources', 'zochowski2021-journal.pdf'), join(folder, 'corpus', 'zochowski2021.pdf'));
    writeFileSync(join(folder, 'note.md'), NOTE);
    client = LspTestClient.start();
    const titles = new Map<string | number, string>();
    client.connection.onNotification('$/progress', (params: { token: string | number; value: { kind: string; title?: string; message?: string } }) => {
      if (params.value.title) titles.set(params.token, params.value.title);
      const title = titles.get(params.token) ?? '';
      progress.set(title, [...(progress.get(title) ?? []), `${params.value.kind}${params.value.message ? ` ${params.value.message}` : ''}`]);
    });
    await client.initialize(folder, {
      capabilities: { ...FULL_CAPABILITIES, window: { workDoneProgress: true } },
      initializationOptions: { storagePath: storage, sourceTextDocuments: true },
    });
  });

  after(() => client.stop());

  test('notes are checked against the text sources at once, and against the PDF once it is read', async () => {
    const uri = uriOf(join(folder, 'note.md'));
    const read = client.diagnostics.next((d) => d.uri === uri && d.diagnostics.some((x) => x.code === 'locator-mismatch'));
    const first = await client.open(join(folder, 'note.md'), NOTE);
    // Whichever comes first, the PDF's citation is never reported as an unknown source.
    assert.ok(first.diagnostics.every((d) => d.code === 'locator-mismatch'), JSON.stringify(first.diagnostics));
    const published = await read;
    assert.deepEqual(
      published.diagnostics.map((d) => [d.code, d.range.start.line, d.message]),
      [['locator-mismatch', 2, 'Quotation is on zochowski2021 p. 17, not p. 19']],
    );
    const documents = progress.get('Verbatim: reading documents') ?? [];
    // Between these, how many sources are indexed between reports depends on the machine's speed.
    assert.deepEqual(documents.slice(0, 3), ['begin reading 0 of 1 documents', 'report reading 1 of 1 documents', 'report indexing 0 of 2 sources']);
    assert.deepEqual(documents.slice(-2), ['report indexing 2 of 2 sources', 'end']);
    assert.equal(progress.get('Verbatim: loading the corpus')?.at(-1), 'end');
    // Extracted once, into the editor's storage folder.
    assert.equal(readdirSync(join(storage, 'extracted')).length, 1);
  });

  test('Go to Definition on a verified quotation opens the extracted text, which the server serves', async () => {
    const uri = uriOf(join(folder, 'note.md'));
    const line = NOTE.split('\n')[2];
    const locations = await client.connection.sendRequest<Location[] | Location | null>('textDocument/definition', {
      textDocument: { uri },
      position: { line: 2, character: line.indexOf('alongside') },
    });
    const location = Array.isArray(locations) ? locations[0] : locations;
    assert.ok(location);
    assert.equal(location.uri, URI.file(join(folder, 'corpus', 'zochowski2021.pdf')).with({ scheme: 'verbatim-source' }).toString());
    const text = await client.connection.sendRequest(sourceTextRequest, { uri: location.uri });
    assert.ok(text);
    assert.equal(text.split('\n')[location.range.start.line].slice(location.range.start.character, location.range.end.character), 'Russia, alongside Pakistan, China, Iran and others, has maintained good relations with the Taliban');
    assert.equal(await client.connection.sendRequest(sourceTextRequest, { uri: 'verbatim-source:/nowhere.pdf' }), null);
  });

  test('when Better BibTeX rewrites the .bib, the corpus is read again with its new attachments', async () => {
    const storageFolder = mkdtempSync(join(tmpdir(), 'verbatim-zotero-storage-'));
    copyFileSync(join(corpusDir, 'gul2021.txt'), join(storageFolder, 'Gul - Why Does Russia See No Problem.txt'));
    const notePath = join(folder, 'zotero.md');
    const text = 'Gul: "Taliban militia has gone into celebration frenzy" [@gul2021why, ¶ 5].\n';
    const first = await client.open(notePath, text);
    assert.deepEqual(first.diagnostics.map((d) => d.code), ['unknown-source']);
    const reread = client.diagnostics.next((d) => d.uri === uriOf(notePath) && d.diagnostics.length === 0);
    const bib = join(folder, 'corpus', 'library.bib');
    writeFileSync(bib, `@online{gul2021why,\n  title = {Why Does Russia See No Problem with Taliban Victories?},\n  file = {${join(storageFolder, 'Gul - Why Does Russia See No Problem.txt')}}\n}\n`);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(bib), type: 1 }] });
    await reread;
  });
});
