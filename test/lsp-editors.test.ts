import { after, before, describe, test } from 'node:test';
import { reindexRequest } from '../server/src/lsp/protocol.js';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CodeAction, Diagnostic, Hover, MarkupContent, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { LspTestClient, uriOf } from './lsp-client.js';
import { root } from './paths.js';

// What other editors do differently from VS Code: open notes while the server starts, push settings instead of
// answering for them, send code-action ranges that are slightly off, and count every publish.

const LIMIT = { timeout: 30000 };
const running: LspTestClient[] = [];

/** A server of its own: each test here is about what happens from start-up on. */
function startClient(): LspTestClient {
  const client = LspTestClient.start();
  running.push(client);
  return client;
}

function workspace(corpusName = 'corpus'): string {
  const folder = mkdtempSync(join(tmpdir(), 'verbatim-editors-'));
  cpSync(join(root, 'corpus'), join(folder, corpusName), { recursive: true });
  mkdirSync(join(folder, 'notes'));
  return folder;
}

function positionOf(text: string, needle: string, delta = 0): { line: number; character: number } {
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, `needle in text: ${needle}`);
  const lines = text.slice(0, offset + delta).split('\n');
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
}

const codes = (published: PublishDiagnosticsParams): string[] => published.diagnostics.map((d) => String(d.code));
const hasClaim = (published: PublishDiagnosticsParams): boolean => published.diagnostics.some((d) => d.code === 'claim-uncited');

const CLAIM_NOTE = 'Korybko places the Taliban "at most 50 kilometres away from the capital" [@korybko2021, ¶ 6].\n\nThe Taliban captured over half of Afghanistan’s regional capitals in a single week.\n';
const NEOVIM_CAPABILITIES = { workspace: { workspaceFolders: true }, textDocument: { publishDiagnostics: { relatedInformation: true } } };

before(() => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root });
});

after(async () => {
  for (const client of running) await client.stop();
});

describe('a note opened while the server starts', () => {
  test('gets its claim-uncited diagnostics with no edit, and the claim answers a hover', LIMIT, async () => {
    const folder = workspace();
    const note = join(folder, 'notes', 'startup.md');
    const client = startClient();
    const withClaim = client.diagnostics.next((d) => d.uri === uriOf(note) && hasClaim(d));
    // Opened as soon as the corpus is there, while the claim tagger is still to load (it loads after the first diagnostics).
    await client.initialize(folder);
    const opened = await client.open(note, CLAIM_NOTE);
    const published = hasClaim(opened) ? opened : await withClaim;
    assert.equal(published.version, 1);
    assert.deepEqual(codes(published), ['quote-mismatch', 'claim-uncited']);
    const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: uriOf(note) }, position: positionOf(CLAIM_NOTE, 'regional') });
    assert.ok(hover, 'the claim answers a hover');
    assert.match((hover.contents as MarkupContent).value, /^\*\*Uncited claim\*\* — it states a figure/);
  });
});

describe('one publish per checked version', () => {
  test('a note opened before the corpus has loaded: no empty flash, never the same diagnostics twice', LIMIT, async () => {
    const folder = workspace();
    const note = join(folder, 'notes', 'startup.md');
    const client = startClient();
    const withClaim = client.diagnostics.next((d) => d.uri === uriOf(note) && hasClaim(d));
    // Opened right after `initialized`, while the server is still asking for settings and reading the corpus.
    await client.handshake(folder);
    await client.open(note, CLAIM_NOTE);
    await withClaim;
    // Once version 2 is published nothing more can come for version 1: the server publishes only the current version.
    await client.edit(uriOf(note), [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: 'So: ' }]);
    const first = client.diagnostics.seen.filter((d) => d.uri === uriOf(note) && d.version === 1).map(codes);
    // Quotations first, then claims once the tagger is in (or both at once if it was in first).
    const expected = first.length === 1 ? [['quote-mismatch', 'claim-uncited']] : [['quote-mismatch'], ['quote-mismatch', 'claim-uncited']];
    assert.deepEqual(first, expected);
  });

  test('opening, editing and changing settings each publish once; re-indexing to the same result publishes nothing', LIMIT, async () => {
    const folder = workspace();
    const client = startClient();
    await client.initialize(folder);
    const note = join(folder, 'notes', 'counted.md');
    const uri = uriOf(note);
    const count = (version: number): number => client.diagnostics.seen.filter((d) => d.uri === uri && d.version === version).length;
    // No claim in this note: whenever the claim tagger comes in, its diagnostics stay the same.
    const opened = await client.open(note, 'Korybko: "at most 50 kilometres away from the capital" [@korybko2021].\n');
    assert.deepEqual(codes(opened), ['quote-mismatch']);
    await client.edit(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: 'So ' }]);
    assert.equal(count(1), 1, 'opening publishes once');
    await client.edit(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } }, newText: '' }]);
    assert.equal(count(2), 1, 'an edit publishes once');

    // A request's answer comes after every notification the server sent before it, so it closes a count.
    await client.connection.sendRequest(reindexRequest);
    assert.equal(count(3), 1, 're-indexing an unchanged corpus has nothing new to publish');
    client.settings = { debounceMs: 0, severity: { 'quote-mismatch': 'error' } };
    const changed = client.diagnostics.next((d) => d.uri === uri && d.diagnostics[0]?.severity === 1);
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await changed;
    await client.connection.sendRequest(reindexRequest);
    assert.equal(count(3), 2, 'a settings change publishes once');
  });
});

describe('quick fixes for a range that only overlaps the diagnostic', () => {
  test('a cursor inside the quotation, and a diagnostic range off by the bytes of non-ASCII characters (Neovim 0.7)', LIMIT, async () => {
    const folder = workspace();
    const client = startClient();
    await client.initialize(folder);
    const note = join(folder, 'notes', 'unicode.md');
    const uri = uriOf(note);
    const text = 'Żochowski 👍🏽 and Korybko place the Taliban "at most 50 kilometres away from the capital" [@korybko2021, ¶ 6].\n\nAn unrelated paragraph.\n';
    const opened = await client.open(note, text);
    const [mismatch] = opened.diagnostics;
    assert.equal(mismatch.code, 'quote-mismatch');
    // Neovim 0.7 sends back the diagnostic with byte columns as if they were UTF-16 units: Ż is 2 bytes, 👍🏽 is 8.
    const bytes = (s: string): number => Buffer.byteLength(s) - s.length;
    const shift = bytes('Żochowski 👍🏽');
    const sent: Diagnostic = { ...mismatch, range: { start: { ...mismatch.range.start, character: mismatch.range.start.character + shift }, end: { ...mismatch.range.end, character: mismatch.range.end.character + shift } } };
    const cursor = positionOf(text, 'kilometres', 3);
    const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: cursor, end: cursor },
      context: { diagnostics: [sent] },
    });
    assert.deepEqual(actions.map((a) => a.title), ['Restore the source\'s wording: "kilometers"', 'Ignore this quotation']);
    const [fix] = actions;
    assert.equal(fix.isPreferred, true);
    assert.deepEqual(fix.diagnostics?.map((d) => d.range), [mismatch.range], 'the action names the diagnostic as the server has it');
    const published = await client.edit(uri, fix.edit?.changes?.[uri] ?? []);
    assert.match(client.text(uri), /"at most 50 kilometers away from the capital"/);
    assert.deepEqual(published.diagnostics, []);
  });

  test('a range that touches no diagnostic gets no fixes; a selection across two gets both', LIMIT, async () => {
    const folder = workspace();
    const client = startClient();
    await client.initialize(folder);
    const note = join(folder, 'notes', 'two.md');
    const uri = uriOf(note);
    const text = 'Korybko: "at most 50 kilometres away from the capital" [@korybko2021].\n\nAn unrelated paragraph.\n\nSee [@suchkow2021].\n';
    const opened = await client.open(note, text);
    assert.deepEqual(codes(opened), ['quote-mismatch', 'unknown-source']);
    const ask = (start: { line: number; character: number }, end: { line: number; character: number }) =>
      client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: { start, end }, context: { diagnostics: [] } });
    assert.deepEqual(await ask({ line: 2, character: 3 }, { line: 2, character: 3 }), []);
    const both = await ask({ line: 0, character: 0 }, { line: 4, character: 8 });
    assert.deepEqual(
      both.filter((a) => a.isPreferred).map((a) => a.title),
      ['Restore the source\'s wording: "kilometers"', 'Change to @suchkov2021'],
    );
  });
});

describe('settings from any editor, in one shape: {verbatim: {…}}', () => {
  const sourcesNote = 'Korybko: "at most 50 kilometres away from the capital" [@korybko2021].\n';

  test('initializationOptions, from a client that cannot be asked (Neovim 0.7)', LIMIT, async () => {
    const folder = workspace('sources');
    const client = startClient();
    await client.handshake(folder, {
      capabilities: NEOVIM_CAPABILITIES,
      initializationOptions: { verbatim: { corpus: 'sources', severity: { 'quote-mismatch': 'error' } } },
    });
    const published = await client.open(join(folder, 'notes', 'a.md'), sourcesNote);
    assert.deepEqual(published.diagnostics.map((d) => [d.code, d.severity]), [['quote-mismatch', 1]]);
  });

  test('workspace/didChangeConfiguration, sent from on_init, from a client that cannot be asked', LIMIT, async () => {
    const folder = workspace('sources');
    const client = startClient();
    await client.handshake(folder, { capabilities: NEOVIM_CAPABILITIES });
    const loaded = client.status.next((s) => s.sources === 5);
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { verbatim: { corpus: 'sources' } } });
    await loaded;
    const published = await client.open(join(folder, 'notes', 'a.md'), sourcesNote);
    assert.deepEqual(codes(published), ['quote-mismatch']);
  });

  test('a client that can be asked but has nothing to say falls back on the settings it sent', LIMIT, async () => {
    const folder = workspace('sources');
    const client = startClient();
    // Neovim 0.8 and later answer `null` for a section their `settings` table lacks.
    client.configuration = () => null;
    await client.handshake(folder, { initializationOptions: { verbatim: { corpus: 'sources' } } });
    const published = await client.open(join(folder, 'notes', 'a.md'), sourcesNote);
    assert.deepEqual(codes(published), ['quote-mismatch']);
  });

  test('workspace/configuration answered with the whole {verbatim: {…}} object', LIMIT, async () => {
    const folder = workspace('sources');
    const client = startClient();
    client.configuration = () => ({ verbatim: { corpus: 'sources' } });
    await client.handshake(folder);
    const published = await client.open(join(folder, 'notes', 'a.md'), sourcesNote);
    assert.deepEqual(codes(published), ['quote-mismatch']);
  });

  test('a note with no corpus: the log says once where the server looked', LIMIT, async () => {
    const folder = workspace('sources');
    const client = startClient();
    await client.handshake(folder, { capabilities: NEOVIM_CAPABILITIES });
    const first = await client.open(join(folder, 'notes', 'a.md'), sourcesNote);
    assert.deepEqual(first.diagnostics, []);
    const second = await client.open(join(folder, 'notes', 'b.md'), sourcesNote);
    assert.deepEqual(second.diagnostics, []);
    // The log line is sent before the note's diagnostics, so both have arrived by now.
    assert.equal(client.logs.seen.length, 1, client.logs.seen.join('\n'));
    assert.ok(client.logs.seen[0].includes(join(folder, 'corpus')), client.logs.seen[0]);
    assert.match(client.logs.seen[0], /verbatim\.corpus/);
    assert.deepEqual(client.messages, [], 'no pop-up for a folder that simply has no corpus');
  });

  test('a loose note with no workspace folder finds the corpus folder named in the settings', LIMIT, async () => {
    const folder = workspace('sources');
    const client = startClient();
    await client.handshake(undefined, { capabilities: NEOVIM_CAPABILITIES, initializationOptions: { verbatim: { corpus: 'sources' } } });
    const published = await client.open(join(folder, 'notes', 'a.md'), sourcesNote);
    assert.deepEqual(codes(published), ['quote-mismatch']);
  });

  test('a loose note with no workspace folder: the log says which folders were searched', LIMIT, async () => {
    const folder = workspace('sources');
    const client = startClient();
    await client.handshake(undefined, { capabilities: NEOVIM_CAPABILITIES });
    const published = await client.open(join(folder, 'notes', 'a.md'), sourcesNote);
    assert.deepEqual(published.diagnostics, []);
    assert.equal(client.logs.seen.length, 1, client.logs.seen.join('\n'));
    assert.ok(client.logs.seen[0].includes(join(folder, 'notes')), client.logs.seen[0]);
  });
});
