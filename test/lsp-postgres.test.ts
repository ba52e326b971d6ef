import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CompletionItem, Hover } from 'vscode-languageserver-protocol';
import { checkNote } from '../server/src/engine/check.js';
import { reindexRequest } from '../server/src/lsp/protocol.js';
import { toLspDiagnostic } from '../server/src/lsp/convert.js';
import { LspTestClient, uriOf } from './lsp-client.js';
import { bundledCorpus, claimChecker, root } from './helpers.js';
import { bundledArchive, postgresSkip, startCluster, type Cluster } from './postgres-cluster.js';

const LIMIT = { timeout: 60_000 };
const running: LspTestClient[] = [];

after(async () => {
  for (const client of running) await client.stop();
});

/** A server whose `verbatim.corpus` is `corpus` (sent in initializationOptions, as Neovim does, and answered when asked). */
function startClient(corpus: string): LspTestClient {
  const client = LspTestClient.start();
  running.push(client);
  client.settings = { debounceMs: 0, corpus };
  return client;
}

function workspace(): string {
  const folder = mkdtempSync(join(tmpdir(), 'verbatim-lsp-pg-'));
  mkdirSync(join(folder, 'notes'));
  return folder;
}

const example = readFileSync(join(root, 'examples', 'russia-and-the-taliban.md'), 'utf8');

describe('verbatim.corpus set to an archive that cannot be used', () => {
  test('no server at the address: a status with the reason, one message, no crash, and no note published clean', LIMIT, async () => {
    const folder = workspace();
    const socketFolder = mkdtempSync(join(tmpdir(), 'verbatim-lsp-nopg-'));
    const client = startClient(`postgres://verbatim:secret@/verbatim?host=${socketFolder}`);
    const failed = client.status.next((s) => s.folder === folder);
    await client.handshake(folder, { initializationOptions: { verbatim: client.settings } });
    const status = await failed;
    assert.match(status.error ?? '', /^Cannot connect to the archive at postgres:\/\/verbatim:\*\*\*@\/verbatim\?host=/);
    const note = join(folder, 'notes', 'a.md');
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(note), languageId: 'markdown', version: 1, text: example } });
    // Still serving: a request after the note's opening is answered.
    const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: uriOf(note) }, position: { line: 4, character: 20 } });
    assert.equal(hover, null);
    // Re-indexing answers after every open note is checked (claim tagger in): what it would publish has arrived.
    const statuses = await client.connection.sendRequest(reindexRequest);
    assert.match(statuses[0]?.error ?? '', /^Cannot connect to the archive/);
    assert.deepEqual(client.diagnostics.seen.filter((d) => d.uri === uriOf(note)), [], 'an empty list would read as "no problems"');
    assert.equal(client.messages.length, 2);
    assert.match(client.messages[0], /^Verbatim: Cannot connect to the archive at /);
    assert.doesNotMatch(JSON.stringify([client.messages, client.status.seen, client.logs.seen]), /secret/);
    rmSync(socketFolder, { recursive: true, force: true });
  });
});

const skip = postgresSkip();
if (skip) console.log(`# ${skip}`);

describe('verbatim.corpus set to a PostgreSQL archive', { skip }, () => {
  let cluster: Cluster;
  let reader: string;
  before(async () => {
    cluster = startCluster();
    // The editor connects with a role that can only read, as README advises.
    reader = await bundledArchive(cluster, 'shared', 'editor');
  });
  after(() => cluster.stop());

  test('notes get the diagnostics they get against the folder; hover and completion read the archive', LIMIT, async () => {
    const folder = workspace();
    const client = startClient(reader);
    await client.initialize(folder);
    const ready = client.status.seen.find((s) => s.folder === folder);
    assert.equal(ready?.error, undefined);
    assert.equal(ready?.sources, 5);
    const note = join(folder, 'notes', 'example.md');
    const published = await client.open(note, example);
    // The server reads claims and speakers with its tagger: the folder's check does too.
    const expected = checkNote(bundledCorpus(), example, { checker: claimChecker() }).diagnostics.map(toLspDiagnostic);
    assert.ok(expected.length > 5);
    assert.deepEqual(published.diagnostics, JSON.parse(JSON.stringify(expected)));

    const text = 'Korybko: "We will get around Kabul like an anaconda" [@korybko2021, ¶ 6].\n';
    const uri = uriOf(join(folder, 'notes', 'anaconda.md'));
    const checked = await client.open(join(folder, 'notes', 'anaconda.md'), text);
    assert.deepEqual(checked.diagnostics, []);
    const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: text.indexOf('anaconda') } });
    const shown = JSON.stringify(hover?.contents);
    assert.match(shown, /korybko2021/);
    assert.match(shown, /\*\*We will get around Kabul like an anaconda\*\*/);
    const keys = await client.connection.sendRequest<CompletionItem[] | null>('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: text.indexOf('[@') + 2 } });
    assert.deepEqual(keys?.map((k) => k.label).sort(), ['anon2021', 'gul2021', 'korybko2021', 'suchkov2021', 'zochowski2021']);

    // An edit is checked against the archive again.
    const edited = await client.edit(uri, [{ range: { start: { line: 0, character: text.indexOf('anaconda') }, end: { line: 0, character: text.indexOf('anaconda') + 8 } }, newText: 'python' }]);
    assert.deepEqual(edited.diagnostics.map((d) => d.code), ['quote-mismatch']);
  });

  test('a role the server does not know: a status and a message, and no note published clean', LIMIT, async () => {
    const folder = workspace();
    const client = startClient(cluster.url('shared', 'stranger'));
    const failed = client.status.next((s) => s.folder === folder);
    await client.handshake(folder);
    const status = await failed;
    assert.match(status.error ?? '', /Cannot connect to the archive at postgres:\/\/stranger@\/shared.*stranger/);
    const note = join(folder, 'notes', 'a.md');
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(note), languageId: 'markdown', version: 1, text: example } });
    await client.connection.sendRequest(reindexRequest);
    assert.deepEqual(client.diagnostics.seen.filter((d) => d.uri === uriOf(note)), []);
    // Once at start-up, once for the re-index the test asked for.
    assert.equal(client.messages.length, 2);
  });
});
