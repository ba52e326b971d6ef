import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { LspTestClient, uriOf } from './lsp-client.js';
import { root } from './helpers.js';

const LIMIT = { timeout: 60000 };
let folder: string;
let client: LspTestClient;

/** Open notes: each quotes a different source, one cites a key the corpus does not have yet, one quotes without a citation. */
const NOTES: Record<string, string> = {
  gul: 'Gul: "the base was handed over to the ANDSF" [@gul2021].\n\nThe memo says "the committee met twice in May" [@memo2024].\n',
  korybko: 'Korybko: "it would be wise for the Kremlin to ask the Taliban to hold off on capturing the capital" [@korybko2021, ¶ 10].\n',
  uncited: 'Someone wrote "the committee met twice in May and agreed on nothing" somewhere.\n\nZochowski: "has not closed its embassy in Kabul" [@zochowski2021].\n',
  example: readFileSync(join(root, 'examples', 'russia-and-the-taliban.md'), 'utf8'),
};

const notePath = (name: string): string => join(folder, 'notes', `${name}.md`);

/** What the command line reports for a note against the folder's corpus as it is on disk now: a check from scratch. */
function fromScratch(name: string): [unknown, unknown, unknown][] {
  const run = spawnSync(process.execPath, [join(root, 'bin', 'verbatim.js'), 'check', '--format', 'json', '--corpus', join(folder, 'corpus'), notePath(name)], {
    encoding: 'utf8',
    // Its own cache folder: the index it keeps is its own, made from the files as they are.
    env: { ...process.env, XDG_CACHE_HOME: join(folder, 'cli-cache') },
  });
  const cli = JSON.parse(run.stdout) as { files: { diagnostics: { code: string; range: unknown; message: string }[] }[] };
  return cli.files[0].diagnostics.map((d) => [d.code, d.range, d.message]);
}

const shape = (diagnostics: Diagnostic[]): [unknown, unknown, unknown][] => diagnostics.map((d) => [d.code, d.range, d.message]);

/** The diagnostics last published for a note. */
function latest(name: string): Diagnostic[] {
  const published = client.diagnostics.seen.filter((d) => d.uri === uriOf(notePath(name))).at(-1);
  assert.ok(published, `${name} was published`);
  return published.diagnostics;
}

/** A change of nothing at the note's end: the server checks the new version and publishes it, whatever it finds. */
async function touch(name: string): Promise<PublishDiagnosticsParams> {
  const uri = uriOf(notePath(name));
  const lines = client.text(uri).split('\n');
  const end = { line: lines.length - 1, character: lines[lines.length - 1].length };
  return client.edit(uri, [{ range: { start: end, end }, newText: ' ' }]);
}

/** Writes a corpus file and tells the server, as an editor's file watcher does; resolves when `note` is published again. */
async function changeCorpusFile(path: string, text: string | undefined, note: string, type: 1 | 2 | 3): Promise<PublishDiagnosticsParams> {
  if (text === undefined) rmSync(path);
  else writeFileSync(path, text);
  const published = client.diagnostics.next((d) => d.uri === uriOf(notePath(note)));
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(path), type }] });
  return published;
}

before(async () => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root });
  folder = mkdtempSync(join(tmpdir(), 'verbatim-corpus-change-'));
  cpSync(join(root, 'corpus'), join(folder, 'corpus'), { recursive: true });
  mkdirSync(join(folder, 'notes'));
  for (const [name, text] of Object.entries(NOTES)) writeFileSync(notePath(name), text);
  client = LspTestClient.start();
  await client.initialize(folder);
  for (const [name, text] of Object.entries(NOTES)) await client.open(notePath(name), text);
});

after(async () => {
  await client.stop();
  rmSync(folder, { recursive: true, force: true });
});

describe('a corpus file changed while several notes are open', () => {
  test('at the start every open note reports what a check from scratch reports', LIMIT, () => {
    for (const name of Object.keys(NOTES)) assert.deepEqual(shape(latest(name)), fromScratch(name), name);
    assert.deepEqual(
      latest('gul').map((d) => d.code),
      ['unknown-source'],
    );
  });

  test('a cited source edited: the note citing it changes, the others stay right', LIMIT, async () => {
    const source = join(folder, 'corpus', 'gul2021.txt');
    const published = await changeCorpusFile(source, readFileSync(source, 'utf8').replace('handed over to the ANDSF', 'handed over to the Afghan forces'), 'gul', 2);
    assert.deepEqual(
      published.diagnostics.map((d) => d.code),
      ['quote-mismatch', 'unknown-source'],
    );
    for (const name of Object.keys(NOTES)) {
      assert.deepEqual(shape((await touch(name)).diagnostics), fromScratch(name), name);
    }
  });

  test('a source added under a cited key: its unknown-source goes, and an uncited quotation of it is found', LIMIT, async () => {
    const memo = join(folder, 'corpus', 'memo2024.txt');
    const uncitedBefore = latest('uncited');
    const published = await changeCorpusFile(memo, 'Memo\n\nThe committee met twice in May and agreed on nothing.\n', 'gul', 1);
    assert.deepEqual(
      published.diagnostics.map((d) => d.code),
      ['quote-mismatch'],
    );
    for (const name of Object.keys(NOTES)) {
      assert.deepEqual(shape((await touch(name)).diagnostics), fromScratch(name), name);
    }
    assert.notDeepEqual(shape(latest('uncited')), shape(uncitedBefore), 'the uncited quotation now has a source to cite');
  });

  test('a source removed: notes citing it say the key is gone, the rest stay right', LIMIT, async () => {
    const memo = join(folder, 'corpus', 'memo2024.txt');
    const published = await changeCorpusFile(memo, undefined, 'gul', 3);
    assert.deepEqual(
      published.diagnostics.map((d) => d.code),
      ['quote-mismatch', 'unknown-source'],
    );
    for (const name of Object.keys(NOTES)) {
      assert.deepEqual(shape((await touch(name)).diagnostics), fromScratch(name), name);
    }
  });
});
