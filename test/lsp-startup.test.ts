import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CompletionItem, Hover } from 'vscode-languageserver-protocol';
import { statsRequest } from '../server/src/lsp/protocol.js';
import { FULL_CAPABILITIES, LspTestClient, uriOf } from './lsp-client.js';
import { corpusDir } from './helpers.js';

const LIMIT = { timeout: 120_000 };
const running: LspTestClient[] = [];

after(async () => {
  for (const client of running) await client.stop();
});

/** A workspace whose corpus holds the five seed articles and `copies` more of each under other keys. */
function workspace(copies: number): string {
  const folder = mkdtempSync(join(tmpdir(), 'verbatim-startup-'));
  cpSync(corpusDir, join(folder, 'corpus'), { recursive: true });
  const seeds = readdirSync(corpusDir).filter((f) => f.endsWith('.txt'));
  for (let i = 0; i < copies; i++) for (const seed of seeds) copyFileSync(join(corpusDir, seed), join(folder, 'corpus', `copy${i}-${seed}`));
  mkdirSync(join(folder, 'notes'));
  return folder;
}

/** A changed quotation and an uncited claim: before the claim tagger loaded with the corpus, such a note was published twice at start-up. */
const NOTE = 'Korybko places the Taliban "at most 50 kilometres away from the capital" [@korybko2021, ¶ 6].\n\nThe Taliban captured over half of Afghanistan’s regional capitals in a single week.\n';

/** Starts a server and records `$/progress` among its arrivals, as `progress KIND MESSAGE`. */
function startClient(): LspTestClient {
  const client = LspTestClient.start();
  running.push(client);
  client.connection.onNotification('$/progress', (params: { value: { kind: string; message?: string } }) => {
    client.arrivals.push(`progress ${params.value.kind}${params.value.message ? ` ${params.value.message}` : ''}`);
  });
  return client;
}

function didOpen(client: LspTestClient, path: string, text: string): Promise<void> {
  return client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(path), languageId: 'markdown', version: 1, text } });
}

describe('start-up', () => {
  test('requests sent with the first note are answered while a large corpus loads, before it is ready', LIMIT, async () => {
    const folder = workspace(150);
    const note = join(folder, 'notes', 'first.md');
    const client = startClient();
    const ready = client.status.next((s) => s.folder === folder);
    const published = client.diagnostics.next((d) => d.uri === uriOf(note));
    // A client that is not asked for settings (as Neovim 0.7): nothing stands between `initialized` and the load.
    await client.handshake(folder, { capabilities: { window: { workDoneProgress: true }, workspace: { workspaceFolders: true } } });
    await didOpen(client, note, NOTE);
    const hover = client.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: uriOf(note) }, position: { line: 0, character: 40 } }).then((answer) => {
      client.arrivals.push('hover answered');
      return answer;
    });
    const completion = client.connection.sendRequest<CompletionItem[] | null>('textDocument/completion', { textDocument: { uri: uriOf(note) }, position: { line: 0, character: NOTE.indexOf('[@') + 2 } }).then((answer) => {
      client.arrivals.push('completion answered');
      return answer;
    });
    await Promise.all([hover, completion]);
    const status = await ready;
    const first = await published;
    assert.equal(status.sources, 755);

    const order = client.arrivals;
    const at = (entry: string): number => order.indexOf(entry);
    const statusAt = at(`status ${folder}`);
    assert.ok(at('hover answered') >= 0 && at('hover answered') < statusAt, order.join('\n'));
    assert.ok(at('completion answered') < statusAt, order.join('\n'));
    // The corpus was not there to answer from: the answers say nothing, rather than wait for it.
    assert.equal(await hover, null);
    // Progress began before the load ended, advanced source by source, and ended with it.
    const progress = order.map((entry, i) => ({ entry, i })).filter(({ entry }) => entry.startsWith('progress '));
    assert.equal(progress[0].entry, 'progress begin reading the corpus folder');
    const indexing = progress.filter(({ entry }) => /^progress report indexing \d+ of 755 sources$/.test(entry));
    assert.ok(indexing.some(({ entry }) => !/ (0|755) of /.test(entry)), 'progress between the first source and the last');
    assert.equal(indexing.at(-1)?.entry, 'progress report indexing 755 of 755 sources');
    const ended = progress.find(({ entry }) => entry === 'progress end');
    assert.ok(ended && ended.i > (indexing.at(-1)?.i ?? Infinity), order.join('\n'));
    // The note's first diagnostics came after its corpus, complete.
    assert.ok(at(`publish ${uriOf(note)} v1`) > statusAt);
    assert.deepEqual(first.diagnostics.map((d) => d.code), ['quote-mismatch', 'claim-uncited']);
  });

  test('notes opened while the corpus loads are published once each, after it is ready, never empty first', LIMIT, async () => {
    const folder = workspace(40);
    const notes = ['a.md', 'b.md', 'c.md'].map((name) => join(folder, 'notes', name));
    const client = startClient();
    const all = Promise.all(notes.map((note) => client.diagnostics.next((d) => d.uri === uriOf(note))));
    // A client that is asked for settings (as VS Code).
    await client.handshake(folder, { capabilities: { ...FULL_CAPABILITIES, window: { workDoneProgress: true } } });
    for (const note of notes) await didOpen(client, note, NOTE);
    const firsts = await all;
    for (const first of firsts) assert.deepEqual(first.diagnostics.map((d) => d.code), ['quote-mismatch', 'claim-uncited']);
    // A request's answer comes after every notification the server sent before it: the count is closed.
    await client.connection.sendRequest(statsRequest);
    const statusAt = client.arrivals.indexOf(`status ${folder}`);
    for (const note of notes) {
      const publishes = client.arrivals.flatMap((entry, i) => (entry.startsWith(`publish ${uriOf(note)} `) ? [{ entry, i }] : []));
      assert.deepEqual(
        publishes.map((p) => p.entry),
        [`publish ${uriOf(note)} v1`],
        client.arrivals.join('\n'),
      );
      assert.ok(publishes[0].i > statusAt);
    }
  });
});

describe('a client that does not watch files for the server', () => {
  test('the server watches the corpus folder itself: a source saved there re-checks the open note', LIMIT, async () => {
    const folder = workspace(0);
    const note = join(folder, 'notes', 'memo.md');
    const text = '"The committee met twice in May" [@memo2024, ¶ 2].\n';
    const client = startClient();
    // As Neovim 0.7: no dynamic registration of workspace/didChangeWatchedFiles.
    await client.initialize(folder, { capabilities: { workspace: { workspaceFolders: true } } });
    const opened = await client.open(note, text);
    assert.deepEqual(opened.diagnostics.map((d) => d.code), ['unknown-source']);
    const rechecked = client.diagnostics.next((d) => d.uri === uriOf(note) && d.diagnostics.length === 0);
    writeFileSync(join(folder, 'corpus', 'memo2024.txt'), 'Memo\nThe committee met twice in May.\n');
    await rechecked;
  });
});
