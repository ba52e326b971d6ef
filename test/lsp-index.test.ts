import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LspTestClient } from './lsp-client.js';
import { corpusDir, root } from './helpers.js';

const note = readFileSync(join(root, 'examples', 'russia-and-the-taliban.md'), 'utf8');

/** Starts a server on `folder` keeping its files in `storage`, opens the note, and returns its first diagnostics. */
async function firstDiagnostics(folder: string, storage: string): Promise<{ count: number; json: string }> {
  const client = LspTestClient.start();
  try {
    await client.initialize(folder, { initializationOptions: { storagePath: storage } });
    const published = await client.open(join(folder, 'note.md'), note);
    return { count: published.diagnostics.length, json: JSON.stringify(published.diagnostics) };
  } finally {
    await client.stop();
  }
}

describe('the language server’s index on disk', () => {
  test('is written to the editor’s storage folder, and a second start reads it back to the same diagnostics', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'verbatim-lsp-index-'));
    const storage = mkdtempSync(join(tmpdir(), 'verbatim-lsp-storage-'));
    cpSync(corpusDir, join(folder, 'corpus'), { recursive: true });
    writeFileSync(join(folder, 'note.md'), note);
    const cold = await firstDiagnostics(folder, storage);
    assert.ok(cold.count > 0, 'the example note has findings to compare');
    const files = readdirSync(join(storage, 'index'));
    assert.equal(files.length, 1);
    assert.match(files[0], /\.vbix$/u);
    assert.deepEqual(readdirSync(folder).sort(), ['corpus', 'note.md'], 'nothing is written beside the notes');
    const written = statSync(join(storage, 'index', files[0])).mtimeMs;
    assert.equal((await firstDiagnostics(folder, storage)).json, cold.json);
    // Used as it was: an index rebuilt (or found damaged) would have been written again.
    assert.equal(statSync(join(storage, 'index', files[0])).mtimeMs, written);
  });
});
